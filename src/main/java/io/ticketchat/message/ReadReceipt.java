package io.ticketchat.message;

import java.time.Instant;

/** A user who read a message, and when. */
public record ReadReceipt(String userId, Instant readAt) {
}

package io.ticketchat.message;

import java.time.Instant;

/**
 * The outcome of marking messages read.
 *
 * @param changed false when every message up to {@code upToMessageId} was already read by the user (or was
 *     their own), so nothing should be broadcast
 */
public record ReadResult(String ticketId, String userId, String upToMessageId, Instant readAt, boolean changed) {
}

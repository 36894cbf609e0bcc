package io.ticketchat.message;

/** A validated {@code mark_read} request: every message of the ticket up to this one, inclusive. */
public record MarkReadRequest(String ticketId, String messageId) {
}

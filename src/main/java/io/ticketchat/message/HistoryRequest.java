package io.ticketchat.message;

/**
 * A validated history request.
 *
 * @param limit messages to return, already clamped to 1..the configured maximum
 * @param beforeMessageId return the messages just older than this one; null for the latest
 */
public record HistoryRequest(String ticketId, int limit, String beforeMessageId) {
}

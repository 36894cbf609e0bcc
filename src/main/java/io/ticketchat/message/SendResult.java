package io.ticketchat.message;

/**
 * The outcome of a send.
 *
 * @param created false when the same sender had already sent the same {@code clientMessageId} in the ticket:
 *     then {@code message} is that original message, nothing was stored and nothing should be broadcast
 */
public record SendResult(Message message, boolean created) {
}

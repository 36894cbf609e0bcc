package io.ticketchat.message;

import java.util.List;

/**
 * A validated request to send a message.
 *
 * @param content the text as sent, possibly blank when there are attachments
 * @param messageType {@code text}, {@code image} or {@code file}
 * @param clientMessageId the sender's idempotency key; null when none was given
 */
public record SendRequest(
        String ticketId,
        String content,
        String messageType,
        List<Attachment> attachments,
        String clientMessageId) {

    public SendRequest {
        attachments = List.copyOf(attachments);
    }

    @Override
    public String toString() {
        return "SendRequest[ticketId=" + ticketId + ", contentChars=" + content.length() + ", messageType="
                + messageType + ", attachments=" + attachments.size() + ", clientMessageId=" + clientMessageId + "]";
    }
}

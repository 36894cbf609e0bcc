package io.ticketchat.message;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.text.Timestamps;
import java.time.Instant;
import java.util.List;

/**
 * A stored chat message of a ticket.
 *
 * @param messageType {@code text}, {@code image}, {@code file}, or {@code system} for messages the server writes
 * @param createdAt when the message was stored, in whole milliseconds
 * @param readBy users other than the sender who read it, oldest first
 * @param clientMessageId the sender's idempotency key; null when none was given
 */
public record Message(
        String id,
        String ticketId,
        Sender sender,
        String content,
        String messageType,
        List<Attachment> attachments,
        Instant createdAt,
        List<ReadReceipt> readBy,
        String clientMessageId) {

    public Message {
        attachments = List.copyOf(attachments);
        readBy = List.copyOf(readBy);
    }

    /** Returns whether anyone other than the sender has read the message. */
    public boolean isRead() {
        return readBy.stream().anyMatch(receipt -> !receipt.userId().equals(sender.id()));
    }

    /**
     * Returns the message as clients receive it in {@code new_message}, {@code ticket_messages} and REST
     * bodies: {@code _id}, {@code chatId} and {@code ticketId} (both the ticket id), {@code sender} with
     * {@code _id}, {@code name} and {@code role}, {@code content}, {@code messageType}, {@code attachments},
     * {@code createdAt} (ISO-8601 UTC with milliseconds), {@code isRead}, {@code readBy} and
     * {@code clientMessageId}. Absent optional values are JSON null.
     */
    public ObjectNode toWire() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode node = json.objectNode();
        node.put("_id", id);
        node.put("chatId", ticketId);
        node.put("ticketId", ticketId);
        ObjectNode senderNode = node.putObject("sender");
        senderNode.put("_id", sender.id());
        senderNode.put("name", sender.name());
        senderNode.put("role", sender.role());
        node.put("content", content);
        node.put("messageType", messageType);

        ArrayNode attachmentNodes = node.putArray("attachments");
        for (Attachment attachment : attachments) {
            ObjectNode item = attachmentNodes.addObject();
            item.put("url", attachment.url());
            item.put("name", attachment.name());
            item.put("size", attachment.size());
            item.put("mimeType", attachment.mimeType());
        }

        node.put("createdAt", Timestamps.toWire(createdAt));
        node.put("isRead", isRead());
        ArrayNode readByNodes = node.putArray("readBy");
        for (ReadReceipt receipt : readBy) {
            readByNodes.addObject()
                    .put("userId", receipt.userId())
                    .put("readAt", Timestamps.toWire(receipt.readAt()));
        }
        node.put("clientMessageId", clientMessageId);
        return node;
    }
}

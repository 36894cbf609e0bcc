package io.ticketchat.ticket;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.text.Timestamps;
import java.time.Instant;

/**
 * A support ticket as stored.
 *
 * @param assigneeId the staff user working on it; null while unassigned
 * @param updatedAt when a ticket field last changed
 * @param lastActivityAt when the last message was stored or a field changed; lists sort by it, newest first
 */
public record Ticket(
        String id,
        String subject,
        String description,
        TicketStatus status,
        TicketPriority priority,
        String customerId,
        String assigneeId,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActivityAt) {

    /**
     * Returns the ticket as clients receive it: the fields above under their names, {@code _id} as well as
     * {@code id}, status and priority as wire names, instants as ISO-8601 UTC with milliseconds.
     */
    public ObjectNode toWire() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("_id", id);
        node.put("id", id);
        node.put("subject", subject);
        node.put("description", description);
        node.put("status", status.wireName());
        node.put("priority", priority.wireName());
        node.put("customerId", customerId);
        node.put("assigneeId", assigneeId);
        node.put("createdAt", Timestamps.toWire(createdAt));
        node.put("updatedAt", Timestamps.toWire(updatedAt));
        node.put("lastActivityAt", Timestamps.toWire(lastActivityAt));
        return node;
    }
}

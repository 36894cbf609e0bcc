package io.ticketchat.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.error.ApiException;
import java.util.Iterator;
import java.util.Set;

/**
 * A staff request to change a ticket, parsed from {@code {status?, priority?, assigneeId?}}.
 *
 * @param status the requested status; null when the body has no {@code status}
 * @param priority the requested priority; null when the body has no {@code priority}
 * @param assigneeGiven whether the body has {@code assigneeId}, so that null can mean "unassign"
 * @param assigneeId the requested assignee; null with {@code assigneeGiven} means unassigned
 */
record TicketUpdateRequest(TicketStatus status, TicketPriority priority, boolean assigneeGiven, String assigneeId) {
    private static final Set<String> FIELDS = Set.of("status", "priority", "assigneeId");

    /**
     * Parses a request body.
     *
     * @throws ApiException {@code invalid_request} naming the field when the body is not an object, has an
     *     unknown field, a status or priority that is not a known wire name, an assignee id that is neither
     *     null nor a non-empty string, or none of the three fields
     */
    static TicketUpdateRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.invalid("unknown field " + name + "; expected status, priority or assigneeId");
            }
        }
        if (body.isEmpty()) {
            throw ApiException.invalid("request body must contain status, priority or assigneeId");
        }

        TicketStatus status = body.has("status") ? parseStatus(body.get("status")) : null;
        TicketPriority priority = body.has("priority") ? parsePriority(body.get("priority")) : null;
        boolean assigneeGiven = body.has("assigneeId");
        String assigneeId = assigneeGiven ? parseAssigneeId(body.get("assigneeId")) : null;
        return new TicketUpdateRequest(status, priority, assigneeGiven, assigneeId);
    }

    private static TicketStatus parseStatus(JsonNode node) {
        String name = node.isTextual() ? node.textValue() : null;
        return TicketStatus.fromWire(name).orElseThrow(
                () -> ApiException.invalid("status must be one of open, pending, resolved, closed"));
    }

    private static TicketPriority parsePriority(JsonNode node) {
        String name = node.isTextual() ? node.textValue() : null;
        return TicketPriority.fromWire(name).orElseThrow(
                () -> ApiException.invalid("priority must be one of low, normal, high, urgent"));
    }

    private static String parseAssigneeId(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw ApiException.invalid("assigneeId must be a staff user's id, or null to unassign");
        }
        return node.textValue();
    }
}

package io.ticketchat.ticket;

import io.ticketchat.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position in the ticket list: the last activity and id of the last ticket on a page. Clients see it as
 * opaque base64url text of {@code v1:<millis>:<id>}.
 */
record TicketCursor(long lastActivityMillis, String ticketId) {
    private static final String VERSION = "v1";
    private static final int MAX_CURSOR_CHARS = 400;

    static TicketCursor after(Ticket ticket) {
        return new TicketCursor(ticket.lastActivityAt().toEpochMilli(), ticket.id());
    }

    String encode() {
        String plain = VERSION + ":" + lastActivityMillis + ":" + ticketId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor made by {@link #encode}; anything else is {@code invalid_request}. */
    static TicketCursor decode(String cursor) {
        if (cursor.length() > MAX_CURSOR_CHARS) {
            throw invalid();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = plain.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()) {
            throw invalid();
        }
        try {
            return new TicketCursor(Long.parseLong(parts[1]), parts[2]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.invalid("cursor is invalid; pass the nextCursor of the previous page");
    }
}

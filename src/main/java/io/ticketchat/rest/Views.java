package io.ticketchat.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.presence.PresenceStatus;
import io.ticketchat.user.User;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Wire shape of a user in REST answers. It carries the email address, so it goes only to the user
 * themselves and to staff views, never into a broadcast.
 */
public final class Views {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Views() {
    }

    public static ObjectNode user(ObjectMapper mapper, User user) {
        ObjectNode node = mapper.createObjectNode();
        node.put("_id", user.id());
        node.put("id", user.id());
        node.put("email", user.email());
        node.put("name", user.name());
        node.put("role", user.role().wireName());
        node.put("createdAt", iso(user.createdAt()));
        return node;
    }

    /**
     * Returns a staff user as {@code GET /api/agents} lists them: live presence, and {@code lastSeenAt}, the
     * moment their last connection closed. No email address: the list is for showing who is available.
     */
    public static ObjectNode agent(ObjectMapper mapper, User user, PresenceStatus status) {
        ObjectNode node = mapper.createObjectNode();
        node.put("_id", user.id());
        node.put("id", user.id());
        node.put("name", user.name());
        node.put("role", user.role().wireName());
        node.put("status", status.wireName());
        node.put("lastSeenAt", iso(user.lastSeenAt()));
        return node;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant);
    }
}

package io.ticketchat.presence;

import java.util.Locale;
import java.util.Optional;

/** A staff user's presence as clients see it in {@code agent_status_update} and {@code GET /api/agents}. */
public enum PresenceStatus {
    ONLINE,
    AWAY,
    BUSY,
    OFFLINE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the status a user may choose with {@code set_status}: online, away or busy. */
    public static Optional<PresenceStatus> choosable(String wireName) {
        for (PresenceStatus status : values()) {
            if (status != OFFLINE && status.wireName().equals(wireName)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}

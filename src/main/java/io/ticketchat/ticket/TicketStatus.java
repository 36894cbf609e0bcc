package io.ticketchat.ticket;

import java.util.Locale;
import java.util.Optional;

/** A ticket's state; the wire names are {@code open}, {@code pending}, {@code resolved} and {@code closed}. */
public enum TicketStatus {
    OPEN,
    PENDING,
    RESOLVED,
    CLOSED;

    /** Returns the status as clients and the database spell it, for example {@code open}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the status whose wire name is exactly {@code name}, or empty for null or an unknown name. */
    public static Optional<TicketStatus> fromWire(String name) {
        for (TicketStatus status : values()) {
            if (status.wireName().equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}

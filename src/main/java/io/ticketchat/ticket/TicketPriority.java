package io.ticketchat.ticket;

import java.util.Locale;
import java.util.Optional;

/** A ticket's priority; the wire names are {@code low}, {@code normal}, {@code high} and {@code urgent}. */
public enum TicketPriority {
    LOW,
    NORMAL,
    HIGH,
    URGENT;

    /** Returns the priority as clients and the database spell it, for example {@code normal}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the priority whose wire name is exactly {@code name}, or empty for null or an unknown name. */
    public static Optional<TicketPriority> fromWire(String name) {
        for (TicketPriority priority : values()) {
            if (priority.wireName().equals(name)) {
                return Optional.of(priority);
            }
        }
        return Optional.empty();
    }
}

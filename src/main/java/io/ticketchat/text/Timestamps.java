package io.ticketchat.text;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one format of instants on the wire: ISO-8601 in UTC with exactly three fraction digits. */
public final class Timestamps {
    private static final DateTimeFormatter WIRE_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Formats {@code instant} as, for example, {@code 2026-01-31T09:15:00.120Z}; null stays null. */
    public static String toWire(Instant instant) {
        return instant == null ? null : WIRE_FORMAT.format(instant);
    }
}

package io.ticketchat.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ticketchat.error.ErrorCode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counters of client events and of what the server rejects. Every rejection is counted by its contract code
 * and by the way it reached the client: {@code socket} (acknowledgement or {@code error} event),
 * {@code handshake} ({@code connect_error}) or {@code http} (REST response). The counters are created up
 * front, one per code and way, so the set of series is fixed and a scrape shows zeros, not missing lines.
 */
public final class ChatMetrics {
    /** The way a rejection reached the client. */
    public enum Via {
        SOCKET,
        HANDSHAKE,
        HTTP
    }

    private final Map<Via, Map<ErrorCode, Counter>> rejections = new EnumMap<>(Via.class);
    private final Counter messagesSent;
    private final Counter eventsReceived;

    public ChatMetrics(MeterRegistry registry) {
        for (Via via : Via.values()) {
            Map<ErrorCode, Counter> byCode = new EnumMap<>(ErrorCode.class);
            for (ErrorCode code : ErrorCode.values()) {
                byCode.put(code, Counter.builder("ticketchat.rejections")
                        .description("Requests and events rejected, by contract error code and way to the client")
                        .tag("code", code.wireName())
                        .tag("status", Integer.toString(code.httpStatus()))
                        .tag("via", via.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            rejections.put(via, byCode);
        }
        messagesSent = Counter.builder("ticketchat.messages.sent")
                .description("Messages stored and broadcast")
                .register(registry);
        eventsReceived = Counter.builder("ticketchat.events.received")
                .description("Client events received on Socket.IO, including refused ones")
                .register(registry);
    }

    public void rejected(Via via, ErrorCode code) {
        rejections.get(via).get(code).increment();
    }

    public void messageSent() {
        messagesSent.increment();
    }

    public void eventReceived() {
        eventsReceived.increment();
    }

    /** Returns the rejections counted so far for one code and way. */
    public double rejectionCount(Via via, ErrorCode code) {
        return rejections.get(via).get(code).count();
    }
}

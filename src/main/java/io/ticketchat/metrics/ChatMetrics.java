package io.ticketchat.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ticketchat.error.ErrorCode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counters of what clients ask and what the server refuses. Every refusal is counted by its contract code
 * and by where it left: {@code socket} (acknowledgement or {@code error} event), {@code handshake}
 * ({@code connect_error}) or {@code http} (REST answer). The counters are created up front, one per code and
 * way, so the set of series is fixed and a scrape shows zeros rather than missing lines.
 */
public final class ChatMetrics {
    /** Where a refusal left the server. */
    public enum Via {
        SOCKET,
        HANDSHAKE,
        HTTP
    }

    private final Map<Via, Map<ErrorCode, Counter>> refusals = new EnumMap<>(Via.class);
    private final Counter messagesSent;
    private final Counter eventsReceived;

    public ChatMetrics(MeterRegistry registry) {
        for (Via via : Via.values()) {
            Map<ErrorCode, Counter> byCode = new EnumMap<>(ErrorCode.class);
            for (ErrorCode code : ErrorCode.values()) {
                byCode.put(code, Counter.builder("ticketchat.refusals")
                        .description("Requests and events refused, by contract error code and way out")
                        .tag("code", code.wireName())
                        .tag("status", Integer.toString(code.httpStatus()))
                        .tag("via", via.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            refusals.put(via, byCode);
        }
        messagesSent = Counter.builder("ticketchat.messages.sent")
                .description("Messages stored and broadcast")
                .register(registry);
        eventsReceived = Counter.builder("ticketchat.events.received")
                .description("Client events received on Socket.IO, including refused ones")
                .register(registry);
    }

    public void refused(Via via, ErrorCode code) {
        refusals.get(via).get(code).increment();
    }

    public void messageSent() {
        messagesSent.increment();
    }

    public void eventReceived() {
        eventsReceived.increment();
    }

    /** Returns the refusals counted so far for one code and way, for tests and the self-audit. */
    public double refusalCount(Via via, ErrorCode code) {
        return refusals.get(via).get(code).count();
    }
}

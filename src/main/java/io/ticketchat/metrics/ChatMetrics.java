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
 * {@code handshake} ({@code connect_error}), {@code http} (REST response) or {@code transport} (the protocol
 * layer closed the connection or sent the HTTP response itself). The counters are created up front, one per
 * code and way, so the set of series is fixed and a scrape shows zeros, not missing lines.
 *
 * <p>A breach of a protocol-layer limit is also counted in {@code ticketchat_transport_limits_total} by limit and
 * transport, created at its first breach, because several limits share one contract code.
 */
public final class ChatMetrics {
    /** The way a rejection reached the client. */
    public enum Via {
        SOCKET,
        HANDSHAKE,
        HTTP,
        TRANSPORT
    }

    private final MeterRegistry registry;
    private final Map<Via, Map<ErrorCode, Counter>> rejections = new EnumMap<>(Via.class);
    private final Counter messagesSent;
    private final Counter eventsReceived;

    public ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
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

    /**
     * Counts a breach of a protocol-layer limit: as a rejection with {@code code}, via {@code http} for a REST
     * request and via {@code transport} otherwise, and in the per-limit counter.
     *
     * @param limit the limit's tag value, for example {@code payload_size}
     * @param transport {@code websocket}, {@code polling} or {@code http}
     */
    public void transportLimitExceeded(String limit, String transport, ErrorCode code) {
        rejected("http".equals(transport) ? Via.HTTP : Via.TRANSPORT, code);
        Counter.builder("ticketchat.transport.limits")
                .description("Connections closed or requests rejected by the protocol layer, by limit and transport")
                .tag("limit", limit)
                .tag("transport", transport)
                .register(registry)
                .increment();
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

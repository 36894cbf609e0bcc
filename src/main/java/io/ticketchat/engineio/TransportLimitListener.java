package io.ticketchat.engineio;

/**
 * Receives every breach of a {@link TransportLimit}, so the application can count it without the protocol layer
 * depending on the application's metrics. Called on Netty event loops, once per breach; it must not block.
 */
@FunctionalInterface
public interface TransportLimitListener {
    /** A listener that ignores every breach. */
    TransportLimitListener NONE = (limit, transport) -> {
    };

    /**
     * Reports one breach.
     *
     * @param transport {@code websocket} or {@code polling} for an Engine.IO connection, {@code http} for any
     *     other HTTP request
     */
    void limitExceeded(TransportLimit limit, String transport);
}

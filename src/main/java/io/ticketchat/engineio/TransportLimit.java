package io.ticketchat.engineio;

/**
 * A limit of the protocol layer whose breach closes a connection or rejects a request before any application code
 * receives it. The tag value names the limit in metrics; the application decides which contract error code it counts
 * the breach under.
 */
public enum TransportLimit {
    /** An HTTP body or a WebSocket message larger than {@link EngineIoOptions#maxPayloadBytes()}. */
    PAYLOAD_SIZE("payload_size"),
    /** A Socket.IO packet that announces more binary attachments than the server accepts. */
    BINARY_ATTACHMENTS("binary_attachments"),
    /** More than {@link EngineIoOptions#maxQueuedBytes()} outbound bytes waiting for a slow client. */
    OUTBOUND_QUEUE("outbound_queue"),
    /**
     * A handshake not completed in time: no Socket.IO namespace connected within
     * {@link EngineIoOptions#connectTimeout()}, or a WebSocket upgrade not finished within
     * {@link EngineIoOptions#upgradeTimeout()}.
     */
    HANDSHAKE_TIMEOUT("handshake_timeout");

    private final String tagValue;

    TransportLimit(String tagValue) {
        this.tagValue = tagValue;
    }

    /** Returns the name used in metric tags, for example {@code payload_size}. */
    public String tagValue() {
        return tagValue;
    }
}

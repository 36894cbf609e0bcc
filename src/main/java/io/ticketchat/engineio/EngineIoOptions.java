package io.ticketchat.engineio;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one Engine.IO endpoint, fixed when the server is built.
 *
 * @param pingInterval time between two server pings; the client learns it in the handshake (default 25 s)
 * @param pingTimeout time the client has to answer a ping with a pong before the session closes (default 20 s)
 * @param maxPayloadBytes largest HTTP body or WebSocket message accepted from a client, in bytes; larger ones close
 *     the session (default 1,000,000)
 * @param upgradeTimeout time a probing WebSocket has to complete the upgrade from polling (default 10 s)
 * @param connectTimeout time a session may stay open without any Socket.IO namespace connected (default 45 s); the
 *     Socket.IO layer enforces it, a bare Engine.IO endpoint ignores it
 * @param perMessageDeflate whether WebSocket per-message compression is offered (default off, because every
 *     compressed connection keeps its own zlib state; by zlib's documented formula, an estimate of about 300 KB
 *     at window bits 15 and memory level 8)
 * @param maxQueuedBytes outbound bytes that may wait for one slow client, on either transport, before its session is
 *     closed (default 1 MB)
 */
public record EngineIoOptions(
        Duration pingInterval,
        Duration pingTimeout,
        int maxPayloadBytes,
        Duration upgradeTimeout,
        Duration connectTimeout,
        boolean perMessageDeflate,
        int maxQueuedBytes) {

    public EngineIoOptions {
        requirePositive(pingInterval, "pingInterval");
        requirePositive(pingTimeout, "pingTimeout");
        requirePositive(upgradeTimeout, "upgradeTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
        }
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive, got " + maxQueuedBytes);
        }
    }

    /** Returns the defaults of the Socket.IO reference server, with a 1 MB outbound queue bound. */
    public static EngineIoOptions defaults() {
        return new EngineIoOptions(
                Duration.ofSeconds(25),
                Duration.ofSeconds(20),
                1_000_000,
                Duration.ofSeconds(10),
                Duration.ofSeconds(45),
                false,
                1 << 20);
    }

    public EngineIoOptions withHeartbeat(Duration newPingInterval, Duration newPingTimeout) {
        return new EngineIoOptions(newPingInterval, newPingTimeout, maxPayloadBytes, upgradeTimeout,
                connectTimeout, perMessageDeflate, maxQueuedBytes);
    }

    public EngineIoOptions withMaxPayloadBytes(int newMaxPayloadBytes) {
        return new EngineIoOptions(pingInterval, pingTimeout, newMaxPayloadBytes, upgradeTimeout,
                connectTimeout, perMessageDeflate, maxQueuedBytes);
    }

    public EngineIoOptions withUpgradeTimeout(Duration newUpgradeTimeout) {
        return new EngineIoOptions(pingInterval, pingTimeout, maxPayloadBytes, newUpgradeTimeout,
                connectTimeout, perMessageDeflate, maxQueuedBytes);
    }

    public EngineIoOptions withConnectTimeout(Duration newConnectTimeout) {
        return new EngineIoOptions(pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout,
                newConnectTimeout, perMessageDeflate, maxQueuedBytes);
    }

    public EngineIoOptions withPerMessageDeflate(boolean enabled) {
        return new EngineIoOptions(pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout,
                connectTimeout, enabled, maxQueuedBytes);
    }

    public EngineIoOptions withMaxQueuedBytes(int newMaxQueuedBytes) {
        return new EngineIoOptions(pingInterval, pingTimeout, maxPayloadBytes, upgradeTimeout,
                connectTimeout, perMessageDeflate, newMaxQueuedBytes);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}

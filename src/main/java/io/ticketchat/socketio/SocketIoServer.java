package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ticketchat.engineio.EngineIoOptions;
import io.ticketchat.engineio.EngineIoServer;
import io.ticketchat.engineio.EngineIoSession;
import io.ticketchat.engineio.TransportLimitListener;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Socket.IO v5 server on top of an Engine.IO v4 endpoint; mount {@link #engine()} on the HTTP server at
 * {@code /socket.io/}.
 *
 * <p>Namespaces are registered up front with {@link #namespace}; CONNECT to any other name is refused with
 * CONNECT_ERROR {@code {"message":"Invalid namespace"}}. A session with no namespace connected within
 * {@link EngineIoOptions#connectTimeout()} is closed. A binary packet may carry at most {@code maxAttachments}
 * attachments (default 10); a client that announces more is disconnected. Both breaches, like those of the
 * Engine.IO layer, go to the {@link TransportLimitListener}. Safe from any thread.
 */
public final class SocketIoServer {
    /** Default limit of binary attachments in one packet. */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final PacketEncoder encoder;
    private final ObjectReader packetReader;
    private final EngineIoOptions options;
    private final int maxAttachments;
    private final EngineIoServer engine;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final AtomicInteger pendingAcks = new AtomicInteger();

    public SocketIoServer(ObjectMapper mapper, EngineIoOptions options) {
        this(mapper, options, DEFAULT_MAX_ATTACHMENTS);
    }

    public SocketIoServer(ObjectMapper mapper, EngineIoOptions options, int maxAttachments) {
        this(mapper, options, maxAttachments, TransportLimitListener.NONE);
    }

    public SocketIoServer(
            ObjectMapper mapper, EngineIoOptions options, int maxAttachments, TransportLimitListener limitListener) {
        if (maxAttachments < 0) {
            throw new IllegalArgumentException("maxAttachments must not be negative, got " + maxAttachments);
        }
        this.encoder = new PacketEncoder(Objects.requireNonNull(mapper, "mapper"));
        this.packetReader = PacketDecoder.jsonReader(mapper);
        this.options = Objects.requireNonNull(options, "options");
        this.maxAttachments = maxAttachments;
        this.engine = new EngineIoServer(options, this::onSessionOpen, limitListener);
    }

    /** Registers the namespace, or returns it when already registered; {@code admin} means {@code /admin}. */
    public Namespace namespace(String name) {
        String normalized = name.startsWith("/") ? name : "/" + name;
        return namespaces.computeIfAbsent(normalized, key -> new Namespace(key, encoder));
    }

    /** Returns the number of open Engine.IO sessions, for gauges. */
    public int engineSessionCount() {
        return engine.sessionCount();
    }

    /** Returns the acknowledgements the server requested from clients and still waits for, for gauges. */
    public int pendingAckCount() {
        return pendingAcks.get();
    }

    void addPendingAcks(int delta) {
        pendingAcks.addAndGet(delta);
    }

    /** Returns the Engine.IO endpoint to mount on the HTTP server. */
    public EngineIoServer engine() {
        return engine;
    }

    /** Disconnects every socket with the reason {@code server shutting down} and closes every session. */
    public void close() {
        for (Namespace namespace : namespaces.values()) {
            for (SocketIoSocket socket : namespace.connectedSockets()) {
                socket.shutdown();
            }
        }
        engine.closeAll();
    }

    Namespace lookup(String name) {
        return namespaces.get(name);
    }

    PacketEncoder encoder() {
        return encoder;
    }

    /** Creates the packet decoder of one client; every decoder shares one JSON reader. */
    PacketDecoder newDecoder() {
        return new PacketDecoder(packetReader, maxAttachments);
    }

    String newSocketId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    private void onSessionOpen(EngineIoSession session) {
        SocketIoClient client = new SocketIoClient(this, session);
        session.setHandler(client);
        client.start(options.connectTimeout().toMillis());
    }
}

package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connected to one namespace: its event listeners, the acknowledgements it owes the server and its
 * rooms.
 *
 * <p>Owner and thread: created by the client's connection when a CONNECT is accepted, pinned to that connection's
 * event loop. Listener maps and pending acknowledgements are touched on that loop only. The public methods may be
 * called from any thread, and hop to the loop when needed. Listeners run on that loop.
 *
 * <p>Bounds: at most {@value #MAX_PENDING_ACKS} acknowledgements wait at once, each with its timeout timer.
 *
 * <p>Release: on disconnect, for any reason, the socket leaves every room, fails its pending acknowledgements and
 * cancels their timers, drops its listeners, then runs its own disconnect listeners and those of its namespace,
 * exactly once.
 */
public final class SocketIoSocket {
    static final int MAX_PENDING_ACKS = 1_000;

    private static final Logger log = LoggerFactory.getLogger(SocketIoSocket.class);
    private static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final String id;
    private final Namespace namespace;
    private final SocketIoClient client;
    private volatile SocketHandshake handshake;
    private final Object attachment;
    private final EventLoop eventLoop;

    private volatile boolean connected = true;
    /** Set once the namespace's connection listeners ran, so that its disconnect listeners run as well. */
    private boolean announced;
    private String disconnectReason;
    private Map<String, List<EventListener>> listeners;
    private List<EventListener> anyListeners;
    private List<Consumer<String>> disconnectListeners;
    private Map<Long, PendingAck> pendingAcks;
    private long nextAckId;
    /**
     * The rooms of this socket, for the {@link InMemoryRoomAdapter}, which replaces the array on every change under
     * this socket's monitor. Null while the socket is in no room.
     */
    volatile String[] joinedRooms;

    SocketIoSocket(
            String id, Namespace namespace, SocketIoClient client, SocketHandshake handshake, Object attachment) {
        this.id = id;
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
        this.attachment = attachment;
        this.eventLoop = client.eventLoop();
    }

    /** Returns the socket id, also sent to the client in the CONNECT response. */
    public String id() {
        return id;
    }

    public Namespace namespace() {
        return namespace;
    }

    public Handshake handshake() {
        return handshake;
    }

    /** Returns the object the connect middlewares passed to {@link ConnectCallback#accept}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    /**
     * Adds a listener for one event name; several listeners of one event run in the order they were added, after
     * the namespace's listeners of that event ({@link Namespace#on}).
     */
    public void on(String event, EventListener listener) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        runOnLoop(() -> {
            if (connected) {
                if (listeners == null) {
                    listeners = new HashMap<>(8);
                }
                listeners.computeIfAbsent(event, name -> new ArrayList<>(1)).add(listener);
            }
        });
    }

    /** Adds a listener for every event that has no listener here or on the namespace. */
    public void onAny(EventListener listener) {
        Objects.requireNonNull(listener, "listener");
        runOnLoop(() -> {
            if (connected) {
                if (anyListeners == null) {
                    anyListeners = new ArrayList<>(1);
                }
                anyListeners.add(listener);
            }
        });
    }

    /**
     * Adds a listener that runs once when the socket disconnects, with the reason as the reference server names
     * it: {@code client namespace disconnect}, {@code server namespace disconnect}, {@code transport close},
     * {@code transport error}, {@code ping timeout}, {@code parse error}, {@code forced server close} or
     * {@code server shutting down}. Added after the disconnect, it runs at once.
     */
    public void onDisconnect(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        runOnLoop(() -> {
            if (!connected) {
                listener.accept(disconnectReason);
                return;
            }
            if (disconnectListeners == null) {
                disconnectListeners = new ArrayList<>(2);
            }
            disconnectListeners.add(listener);
        });
    }

    /** Sends an event to this client; arguments are serialized by Jackson, byte arrays become attachments. */
    public void emit(String event, Object... args) {
        checkEventName(event);
        if (connected) {
            sendEncoded(encode(SocketPacketType.EVENT, -1, client.encoder().arguments(event, args)));
        }
    }

    /**
     * Sends an event and waits for the client's acknowledgement. The callback runs once on the socket's event loop:
     * with the client's arguments, or with an {@link AckException} on timeout, on disconnect, or when
     * {@value #MAX_PENDING_ACKS} acknowledgements are already pending.
     */
    public void emitWithAck(String event, Object[] args, Duration timeout, AckCallback callback) {
        checkEventName(event);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(callback, "callback");
        ArrayNode arguments = client.encoder().arguments(event, args);
        runOnLoop(() -> sendWithAck(arguments, timeout, callback));
    }

    private void sendWithAck(ArrayNode arguments, Duration timeout, AckCallback callback) {
        if (!connected) {
            completeAck(callback, new AckException("socket disconnected"), null);
            return;
        }
        if (pendingAcks == null) {
            pendingAcks = new HashMap<>(4);
        }
        if (pendingAcks.size() >= MAX_PENDING_ACKS) {
            completeAck(callback, new AckException("too many pending acknowledgements"), null);
            return;
        }
        long ackId = nextAckId++;
        ScheduledFuture<?> timer = eventLoop.schedule(
                () -> onAckTimeout(ackId), timeout.toMillis(), TimeUnit.MILLISECONDS);
        pendingAcks.put(ackId, new PendingAck(callback, timer));
        client.server().addPendingAcks(1);
        sendEncoded(encode(SocketPacketType.EVENT, ackId, arguments));
    }

    private void onAckTimeout(long ackId) {
        PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(ackId);
        if (pending != null) {
            client.server().addPendingAcks(-1);
            completeAck(pending.callback(), new AckException("acknowledgement timed out"), null);
        }
    }

    /** Adds the socket to a room of its namespace; ignored once disconnected. */
    /**
     * Runs a task on this socket's event loop: inline when called from it, queued otherwise. Work that must be
     * ordered with this socket's own events and room changes (for example finishing a join after a database
     * check) goes through here, and {@link #join} and {@link #leave} then take effect at once.
     */
    public void execute(Runnable task) {
        runOnLoop(task);
    }

    public void join(String room) {
        Objects.requireNonNull(room, "room");
        runOnLoop(() -> {
            if (connected) {
                namespace.adapter().join(this, room);
            }
        });
    }

    public void leave(String room) {
        Objects.requireNonNull(room, "room");
        runOnLoop(() -> namespace.adapter().leave(this, room));
    }

    /** Returns a snapshot of the socket's rooms. */
    public Set<String> rooms() {
        return namespace.adapter().rooms(this);
    }

    /**
     * Disconnects the socket from its namespace and sends the client a DISCONNECT packet. With
     * {@code closeTransport}, every other namespace of the same client is disconnected as well and the underlying
     * connection is closed.
     */
    public void disconnect(boolean closeTransport) {
        runOnLoop(() -> {
            if (connected) {
                sendEncoded(encode(SocketPacketType.DISCONNECT, -1, null));
                onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT.wireName());
            }
            if (closeTransport) {
                client.disconnectAll(DisconnectReason.SERVER_NAMESPACE_DISCONNECT.wireName());
            }
        });
    }

    /** Disconnects this client from every namespace for a server shutdown, and closes its connection. */
    void shutdown() {
        runOnLoop(() -> client.disconnectAll(DisconnectReason.SERVER_SHUTTING_DOWN.wireName()));
    }

    public boolean isConnected() {
        return connected;
    }

    /** Returns {@code websocket} or {@code polling}, the client's current transport. */
    public String transportName() {
        return client.transportName();
    }

    @Override
    public String toString() {
        return "SocketIoSocket[id=" + id + ", namespace=" + namespace.name() + "]";
    }

    // ---- called by the client's connection, on the event loop

    void sendEncoded(List<Object> messages) {
        if (connected) {
            client.send(messages);
        }
    }

    void onEvent(SocketPacket packet) {
        ArrayNode args = (ArrayNode) packet.data();
        String event = args.remove(0).asText();
        Ack ack = packet.ackId() >= 0 ? new ClientAck(packet.ackId()) : null;
        List<EventListener> shared = namespace.eventListeners(event);
        List<EventListener> own = listeners == null ? null : listeners.get(event);
        if (shared.isEmpty() && own == null) {
            if (anyListeners == null) {
                log.debug("event without listener socket={} event={}", id, event);
                return;
            }
            runListeners(List.copyOf(anyListeners), event, args, ack);
            return;
        }
        runListeners(shared, event, args, ack);
        if (own != null) {
            runListeners(List.copyOf(own), event, args, ack);
        }
    }

    private void runListeners(List<EventListener> targets, String event, ArrayNode args, Ack ack) {
        for (EventListener listener : targets) {
            try {
                listener.onEvent(this, args, ack);
            } catch (RuntimeException e) {
                log.warn("event listener failed socket={} event={}", id, event, e);
            }
        }
    }

    void onAck(SocketPacket packet) {
        PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(packet.ackId());
        if (pending == null) {
            log.debug("acknowledgement without request socket={} ack={}", id, packet.ackId());
            return;
        }
        client.server().addPendingAcks(-1);
        pending.timer().cancel(false);
        completeAck(pending.callback(), null, (ArrayNode) packet.data());
    }

    /** Releases the socket; runs the disconnect listeners once. */
    void onClose(String reason) {
        if (!connected) {
            return;
        }
        connected = false;
        disconnectReason = reason;
        namespace.remove(this);
        client.remove(this);

        if (pendingAcks != null) {
            Map<Long, PendingAck> failed = pendingAcks;
            pendingAcks = null;
            client.server().addPendingAcks(-failed.size());
            for (PendingAck pending : failed.values()) {
                pending.timer().cancel(false);
                completeAck(pending.callback(), new AckException("socket disconnected"), null);
            }
        }
        listeners = null;
        anyListeners = null;
        log.debug("socket disconnected socket={} namespace={} reason={}", id, namespace.name(), reason);

        List<Consumer<String>> toRun = disconnectListeners;
        disconnectListeners = null;
        if (toRun != null) {
            for (Consumer<String> listener : toRun) {
                try {
                    listener.accept(reason);
                } catch (RuntimeException e) {
                    log.warn("disconnect listener failed socket={} reason={}", id, reason, e);
                }
            }
        }
        if (announced) {
            namespace.fireDisconnect(this, reason);
        }
    }

    void markAnnounced() {
        announced = true;
    }

    /** Drops the handshake data that only connect middlewares and connection listeners need. */
    void releaseHandshake() {
        handshake = handshake.release();
    }

    // ---- state audit, on the event loop

    /** Returns whether the socket is in its namespace although disconnected, or connected to a closed client. */
    boolean isStale() {
        return connected ? client.isClosed() : namespace.contains(this);
    }

    /** Releases the socket if {@link #isStale} still holds; returns whether it did. */
    boolean releaseIfStale() {
        if (!isStale()) {
            return false;
        }
        if (connected) {
            onClose("transport close");
        } else {
            // NOTE: the disconnect listeners of a socket marked disconnected without a close have not run and
            //  do not run here, so state they would release stays for the checks of its own kind.
            namespace.remove(this);
        }
        return true;
    }

    /** Marks the socket disconnected without releasing anything, as a broken close path would; for tests. */
    void markDisconnectedForTest() {
        connected = false;
    }

    EventLoop eventLoop() {
        return eventLoop;
    }

    private List<Object> encode(SocketPacketType type, long ackId, JsonNode data) {
        return client.encoder().encode(type, namespace.name(), ackId, data);
    }

    private void completeAck(AckCallback callback, AckException error, ArrayNode args) {
        try {
            callback.onAck(error, args);
        } catch (RuntimeException e) {
            log.warn("acknowledgement callback failed socket={}", id, e);
        }
    }

    private void runOnLoop(Runnable task) {
        if (eventLoop.inEventLoop()) {
            task.run();
        } else {
            eventLoop.execute(task);
        }
    }

    static void checkEventName(String event) {
        Objects.requireNonNull(event, "event");
        if (RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("event name is reserved: " + event);
        }
    }

    private record PendingAck(AckCallback callback, ScheduledFuture<?> timer) {
    }

    /** The acknowledgement a client asked for; the first {@link #send} wins. */
    private final class ClientAck implements Ack {
        private final long ackId;
        private final AtomicBoolean sent = new AtomicBoolean();

        ClientAck(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public void send(Object... args) {
            if (sent.compareAndSet(false, true)) {
                sendEncoded(encode(SocketPacketType.ACK, ackId, client.encoder().arguments(null, args)));
            }
        }
    }
}

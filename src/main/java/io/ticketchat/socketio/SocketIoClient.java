package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.ticketchat.engineio.EngineIoSession;
import io.ticketchat.engineio.TransportLimit;
import io.ticketchat.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO side of one Engine.IO session: decodes its packets, runs CONNECTs through the namespace
 * middlewares, and routes events, acknowledgements and DISCONNECTs to its sockets, one per namespace.
 *
 * <p>Owner and thread: created by {@link SocketIoServer} when the session opens and used on the session's event
 * loop only. Bounds: at most one socket and one pending CONNECT per registered namespace, one packet under binary
 * reconstruction, one connect timer, and the packets sent within {@link #CONNECT_REPLY_GAP} of a CONNECT reply.
 * Release: when the session closes, every socket is disconnected with the session's close reason, the timers are
 * cancelled, the held packets and the decoder dropped.
 *
 * <p>Almost every client connects one namespace, so the first socket has a field of its own and a map is made only
 * for a second one. The set of pending CONNECTs likewise exists only while one is pending.
 */
final class SocketIoClient implements EngineIoSession.Handler {
    private static final Logger log = LoggerFactory.getLogger(SocketIoClient.class);

    /**
     * Minimum time between a CONNECT reply on a WebSocket and the packets sent after it, 5 ms. Clients on the
     * {@code ws} package emit every WebSocket message of one socket read in the same task (8.5.0 always, 8.23.1
     * unless {@code allowSynchronousEvents} is off), so a client that adds a one-shot listener per message after
     * awaiting the previous one misses the second message when the CONNECT reply and the first event arrive in
     * one read. The Socket.IO protocol test suite waits exactly that way. The gap is an estimate: a client that is
     * not scheduled for longer than it can still read both at once.
     */
    static final Duration CONNECT_REPLY_GAP = Duration.ofMillis(5);

    private final SocketIoServer server;
    private final EngineIoSession session;
    private final PacketDecoder decoder;
    /** The socket of the first connected namespace, or null. */
    private SocketIoSocket firstSocket;
    /** The sockets of the other connected namespaces by name, null until a second namespace connects. */
    private Map<String, SocketIoSocket> otherSockets;
    /** Namespaces whose CONNECT runs through the middlewares, null while there is none. */
    private Set<String> pendingConnects;
    private ScheduledFuture<?> connectTimer;
    private List<Object> heldMessages;
    private ScheduledFuture<?> heldMessagesTimer;
    private boolean closed;

    SocketIoClient(SocketIoServer server, EngineIoSession session) {
        this.server = server;
        this.session = session;
        this.decoder = server.newDecoder();
    }

    void start(long connectTimeoutMillis) {
        connectTimer = session.eventLoop()
                .schedule(this::onConnectTimeout, connectTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    EventLoop eventLoop() {
        return session.eventLoop();
    }

    PacketEncoder encoder() {
        return server.encoder();
    }

    SocketIoServer server() {
        return server;
    }

    String transportName() {
        return session.transportName();
    }

    void send(List<Object> messages) {
        if (heldMessages != null) {
            heldMessages.addAll(messages);
        } else {
            session.send(messages);
        }
    }

    /** Returns whether the Engine.IO session has closed; call it on the event loop. */
    boolean isClosed() {
        return closed;
    }

    void remove(SocketIoSocket socket) {
        if (firstSocket == socket) {
            firstSocket = null;
        } else if (otherSockets != null) {
            otherSockets.remove(socket.namespace().name(), socket);
            if (otherSockets.isEmpty()) {
                otherSockets = null;
            }
        }
    }

    /** Disconnects every socket of this client, then closes the Engine.IO session. */
    void disconnectAll(String reason) {
        for (SocketIoSocket socket : connectedSockets()) {
            socket.sendEncoded(encoder().encode(SocketPacketType.DISCONNECT, socket.namespace().name(), -1, null));
            socket.onClose(reason);
        }
        releaseHeldMessages();
        session.close();
    }

    @Override
    public void onText(String text) {
        SocketPacket packet;
        try {
            packet = decoder.decodeText(text);
        } catch (InvalidPacketException e) {
            onInvalidPacket(e);
            return;
        }
        if (packet != null) {
            dispatch(packet);
        }
    }

    @Override
    public void onBinary(byte[] data) {
        SocketPacket packet;
        try {
            packet = decoder.decodeBinary(data);
        } catch (InvalidPacketException e) {
            onInvalidPacket(e);
            return;
        }
        if (packet != null) {
            dispatch(packet);
        }
    }

    @Override
    public void onClose(String reason) {
        closed = true;
        cancelConnectTimer();
        cancelHeldMessages();
        decoder.reset();
        pendingConnects = null;
        for (SocketIoSocket socket : connectedSockets()) {
            socket.onClose(reason);
        }
        firstSocket = null;
        otherSockets = null;
    }

    private void onInvalidPacket(InvalidPacketException e) {
        log.debug("invalid packet sid={} error={}", session.id(), e.getMessage());
        if (e.isTooManyAttachments()) {
            server.engine().reportLimit(TransportLimit.BINARY_ATTACHMENTS, session.transportName());
        }
        decoder.reset();
        for (SocketIoSocket socket : connectedSockets()) {
            socket.onClose(DisconnectReason.PARSE_ERROR.wireName());
        }
        releaseHeldMessages();
        session.close();
    }

    private void dispatch(SocketPacket packet) {
        log.trace("packet received sid={} type={} namespace={}", session.id(), packet.type(), packet.namespace());
        if (packet.type() == SocketPacketType.CONNECT) {
            connect(packet.namespace(), packet.data());
            return;
        }
        SocketIoSocket socket = socketOf(packet.namespace());
        if (socket == null) {
            log.debug("packet for unconnected namespace sid={} namespace={}", session.id(), packet.namespace());
            return;
        }
        switch (packet.type()) {
            case DISCONNECT -> socket.onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT.wireName());
            case EVENT, BINARY_EVENT -> socket.onEvent(packet);
            case ACK, BINARY_ACK -> socket.onAck(packet);
            default -> {
            }
        }
    }

    // ---- CONNECT and the middlewares

    private void connect(String name, JsonNode auth) {
        Namespace namespace = server.lookup(name);
        if (namespace == null) {
            sendConnectError(name, "Invalid namespace", null);
            return;
        }
        if (socketOf(name) != null || pendingConnects != null && pendingConnects.contains(name)) {
            log.debug("duplicate connect ignored sid={} namespace={}", session.id(), name);
            return;
        }
        if (pendingConnects == null) {
            pendingConnects = new HashSet<>(2);
        }
        pendingConnects.add(name);
        JsonNode authPayload = auth != null ? auth : encoder().mapper().createObjectNode();
        runMiddleware(namespace, new SocketHandshake(authPayload, session), 0, null);
    }

    private void runMiddleware(Namespace namespace, SocketHandshake handshake, int index, Object attachment) {
        if (closed || pendingConnects == null || !pendingConnects.contains(namespace.name())) {
            return;
        }
        List<ConnectMiddleware> middlewares = namespace.middlewares();
        if (index >= middlewares.size()) {
            completeConnect(namespace, handshake, attachment);
            return;
        }
        // TODO(protocol): a middleware that never calls back keeps this CONNECT pending until the session closes,
        // because the connect timeout only fires while no namespace is connected; a per-CONNECT timer would fix it.
        MiddlewareCallback callback = new MiddlewareCallback(namespace, handshake, index, attachment);
        try {
            middlewares.get(index).authorize(handshake, callback);
        } catch (RuntimeException e) {
            log.warn("connect middleware failed sid={} namespace={}", session.id(), namespace.name(), e);
            callback.reject(ErrorCode.INTERNAL.wireName(), null);
        }
    }

    private void completeConnect(Namespace namespace, SocketHandshake handshake, Object attachment) {
        removePendingConnect(namespace.name());
        cancelConnectTimer();
        SocketIoSocket socket = new SocketIoSocket(
                server.newSocketId(), namespace, this, handshake, attachment);
        addSocket(socket);
        namespace.add(socket);

        // TODO(protocol): connection state recovery (the "pid" and packet offsets of Socket.IO 4.6) is not
        // supported, so a reconnecting client always gets a new socket; storing missed packets per session would.
        ObjectNode payload = encoder().mapper().createObjectNode().put("sid", socket.id());
        releaseHeldMessages();
        send(encoder().encode(SocketPacketType.CONNECT, namespace.name(), -1, payload));
        holdMessagesAfterConnectReply();
        log.debug("socket connected socket={} namespace={} sid={}", socket.id(), namespace.name(), session.id());
        // The listeners run as a later task. Events of this client cannot overtake the task, because they queue
        // behind it on the same event loop, so every listener is in place before the first event arrives.
        session.eventLoop().execute(() -> {
            if (socket.isConnected()) {
                namespace.fireConnection(socket);
            }
        });
    }

    private void rejectConnect(String name, String message, Object data) {
        if (closed || !removePendingConnect(name)) {
            return;
        }
        log.debug("connect rejected sid={} namespace={}", session.id(), name);
        sendConnectError(name, message, data);
        if (firstSocket == null && otherSockets == null && pendingConnects == null) {
            releaseHeldMessages();
            session.close();
        }
    }

    private void sendConnectError(String name, String message, Object data) {
        ObjectNode payload = encoder().mapper().createObjectNode().put("message", message);
        if (data != null) {
            payload.set("data", encoder().mapper().valueToTree(data));
        }
        send(encoder().encode(SocketPacketType.CONNECT_ERROR, name, -1, payload));
    }

    private void onConnectTimeout() {
        connectTimer = null;
        if (!closed && firstSocket == null && otherSockets == null) {
            log.debug("no namespace connected in time sid={}", session.id());
            server.engine().reportLimit(TransportLimit.HANDSHAKE_TIMEOUT, session.transportName());
            session.close();
        }
    }

    /**
     * Holds what this client sends for {@link #CONNECT_REPLY_GAP}, so the CONNECT reply just written leaves in a
     * socket write of its own. Only on a WebSocket: a poll response carries a batch of packets by design.
     */
    private void holdMessagesAfterConnectReply() {
        if (!"websocket".equals(session.transportName())) {
            return;
        }
        heldMessages = new ArrayList<>(4);
        heldMessagesTimer = session.eventLoop().schedule(
                this::releaseHeldMessages, CONNECT_REPLY_GAP.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends the held packets in order, in one write, and ends the hold. */
    private void releaseHeldMessages() {
        List<Object> held = heldMessages;
        if (held == null) {
            return;
        }
        cancelHeldMessages();
        if (!held.isEmpty()) {
            session.send(held);
        }
    }

    private void cancelHeldMessages() {
        heldMessages = null;
        if (heldMessagesTimer != null) {
            heldMessagesTimer.cancel(false);
            heldMessagesTimer = null;
        }
    }

    private void cancelConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }

    private SocketIoSocket socketOf(String namespace) {
        if (firstSocket != null && firstSocket.namespace().name().equals(namespace)) {
            return firstSocket;
        }
        return otherSockets == null ? null : otherSockets.get(namespace);
    }

    private void addSocket(SocketIoSocket socket) {
        if (firstSocket == null) {
            firstSocket = socket;
            return;
        }
        if (otherSockets == null) {
            otherSockets = new HashMap<>(2);
        }
        otherSockets.put(socket.namespace().name(), socket);
    }

    /** Returns a copy of the connected sockets, which stays valid while sockets disconnect. */
    private List<SocketIoSocket> connectedSockets() {
        List<SocketIoSocket> connected = new ArrayList<>(otherSockets == null ? 1 : otherSockets.size() + 1);
        if (firstSocket != null) {
            connected.add(firstSocket);
        }
        if (otherSockets != null) {
            connected.addAll(otherSockets.values());
        }
        return connected;
    }

    /** Removes a pending CONNECT, drops the set when it empties, and returns whether the CONNECT was pending. */
    private boolean removePendingConnect(String namespace) {
        if (pendingConnects == null || !pendingConnects.remove(namespace)) {
            return false;
        }
        if (pendingConnects.isEmpty()) {
            pendingConnects = null;
        }
        return true;
    }

    private void runOnLoop(Runnable task) {
        EventLoop loop = session.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** The callback of one middleware; the first call counts and the outcome hops to the event loop. */
    private final class MiddlewareCallback implements ConnectCallback {
        private final Namespace namespace;
        private final SocketHandshake handshake;
        private final int index;
        private final Object attachment;
        private final AtomicBoolean called = new AtomicBoolean();

        MiddlewareCallback(Namespace namespace, SocketHandshake handshake, int index, Object attachment) {
            this.namespace = namespace;
            this.handshake = handshake;
            this.index = index;
            this.attachment = attachment;
        }

        @Override
        public void accept(Object newAttachment) {
            if (called.compareAndSet(false, true)) {
                Object next = newAttachment != null ? newAttachment : attachment;
                runOnLoop(() -> runMiddleware(namespace, handshake, index + 1, next));
            }
        }

        @Override
        public void reject(String message, Object data) {
            if (called.compareAndSet(false, true)) {
                String text = message != null ? message : ErrorCode.UNAUTHORIZED.wireName();
                runOnLoop(() -> rejectConnect(namespace.name(), text, data));
            }
        }
    }
}

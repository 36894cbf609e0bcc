package io.ticketchat.socketio;

import io.ticketchat.audit.AuditCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO namespace: its connect middlewares, its connection, event and disconnect listeners, its connected
 * sockets and its rooms.
 *
 * <p>Registered up front through {@link SocketIoServer#namespace}; a client asking for any other namespace gets
 * CONNECT_ERROR {@code {"message":"Invalid namespace"}}. The socket map contains exactly the connected sockets: a
 * socket is added when its CONNECT is accepted and removed when it disconnects, for any reason. Safe from any
 * thread; middlewares and listeners are meant to be added at start-up.
 */
public final class Namespace {
    private static final Logger log = LoggerFactory.getLogger(Namespace.class);

    private final String name;
    private final PacketEncoder encoder;
    private final RoomAdapter adapter;
    private final List<ConnectMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<SocketIoSocket>> connectionListeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<EventListener>> eventListeners = new ConcurrentHashMap<>();
    private final List<BiConsumer<SocketIoSocket, String>> disconnectListeners = new CopyOnWriteArrayList<>();
    private final Map<String, SocketIoSocket> sockets = new ConcurrentHashMap<>();

    Namespace(String name, PacketEncoder encoder) {
        this.name = name;
        this.encoder = encoder;
        // TODO(protocol): rooms and broadcasts reach this node only; a Redis RoomAdapter chosen at server build
        // time would forward broadcasts to the other nodes of a cluster.
        this.adapter = new InMemoryRoomAdapter(this);
    }

    /** Returns the name as clients send it, for example {@code /} or {@code /admin}. */
    public String name() {
        return name;
    }

    /** Adds a middleware that runs, after those added before it, before a socket connects. */
    public void use(ConnectMiddleware middleware) {
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
    }

    /** Adds a listener that runs on the socket's event loop once the socket is connected. */
    public void onConnection(Consumer<SocketIoSocket> listener) {
        connectionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds a listener for one event name on every socket of the namespace. It runs on the socket's event loop,
     * before the socket's own listeners of that event (see {@link SocketIoSocket#on}). One listener serves all
     * sockets, so a server with many connections keeps no listener objects per socket.
     */
    public void on(String event, EventListener listener) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(listener, "listener");
        eventListeners.computeIfAbsent(event, name -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /**
     * Adds a listener that runs once with the socket and the reason when a socket of this namespace disconnects,
     * after the socket's own disconnect listeners. It runs only for sockets whose connection listeners ran.
     */
    public void onDisconnect(BiConsumer<SocketIoSocket, String> listener) {
        disconnectListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public BroadcastOperator to(String room) {
        return new BroadcastOperator(this, Set.of(room), Set.of());
    }

    /** Sends an event to every socket of the namespace. */
    public void emit(String event, Object... args) {
        broadcast(event, args, Set.of(), Set.of());
    }

    /** Returns a snapshot of the sockets in a room. */
    public Set<SocketIoSocket> socketsIn(String room) {
        return adapter.members(room);
    }

    public int socketCount() {
        return sockets.size();
    }

    public int roomCount() {
        return adapter.roomCount();
    }

    public int membershipCount() {
        return adapter.membershipCount();
    }

    /**
     * Returns the audit checks of this namespace: sockets that are in the map although disconnected or whose
     * connection closed, memberships of disconnected sockets, and rooms without members.
     */
    public List<AuditCheck<?>> staleStateChecks() {
        List<AuditCheck<?>> checks = new ArrayList<>();
        checks.add(new StaleSocketCheck(this));
        checks.addAll(adapter.staleStateChecks());
        return checks;
    }

    /** Returns a live view of the connected sockets; iterating it is safe while sockets come and go. */
    public Collection<SocketIoSocket> sockets() {
        return sockets.values();
    }

    boolean contains(SocketIoSocket socket) {
        return sockets.get(socket.id()) == socket;
    }

    RoomAdapter adapter() {
        return adapter;
    }

    List<ConnectMiddleware> middlewares() {
        return middlewares;
    }

    Collection<SocketIoSocket> connectedSockets() {
        return sockets.values();
    }

    void broadcast(String event, Object[] args, Set<String> rooms, Set<SocketIoSocket> except) {
        SocketIoSocket.checkEventName(event);
        List<Object> messages = encoder.encode(SocketPacketType.EVENT, name, -1, encoder.arguments(event, args));
        adapter.broadcast(new EncodedPacket(messages), rooms, except);
    }

    void add(SocketIoSocket socket) {
        sockets.put(socket.id(), socket);
    }

    void remove(SocketIoSocket socket) {
        adapter.leaveAll(socket);
        sockets.remove(socket.id(), socket);
    }

    /** Returns the namespace-wide listeners of an event, empty when there are none. */
    List<EventListener> eventListeners(String event) {
        return eventListeners.getOrDefault(event, List.of());
    }

    void fireConnection(SocketIoSocket socket) {
        socket.markAnnounced();
        for (Consumer<SocketIoSocket> listener : connectionListeners) {
            try {
                listener.accept(socket);
            } catch (RuntimeException e) {
                log.warn("connection listener failed socket={} namespace={}", socket.id(), name, e);
            }
        }
        socket.releaseHandshake();
    }

    void fireDisconnect(SocketIoSocket socket, String reason) {
        for (BiConsumer<SocketIoSocket, String> listener : disconnectListeners) {
            try {
                listener.accept(socket, reason);
            } catch (RuntimeException e) {
                log.warn("disconnect listener failed socket={} namespace={} reason={}", socket.id(), name, reason, e);
            }
        }
    }
}

package io.ticketchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.audit.AuditCheck;
import io.ticketchat.auth.AuthService;
import io.ticketchat.auth.JwtService;
import io.ticketchat.auth.TokenClaims;
import io.ticketchat.concurrent.TimerService;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.message.Message;
import io.ticketchat.metrics.ChatMetrics;
import io.ticketchat.presence.PresenceStatus;
import io.ticketchat.presence.PresenceTracker;
import io.ticketchat.socketio.Ack;
import io.ticketchat.socketio.ConnectCallback;
import io.ticketchat.socketio.Handshake;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoSocket;
import io.ticketchat.text.UnicodeText;
import io.ticketchat.ticket.Ticket;
import io.ticketchat.ticket.TicketUpdate;
import io.ticketchat.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client contract on the Socket.IO default namespace: handshake authentication, the connection's life
 * and the event rate limit. The events themselves are served by {@link TicketEvents} (joining, history,
 * sending) and {@link LiveEvents} (typing, read receipts, status).
 *
 * <p>Each connection's state lives in one {@link ClientConnection}, held by its socket and released on
 * disconnect, together with the connection's presence and typing state. Listeners run on the socket's event
 * loop and never block it. Database work runs on the bounded {@link DbExecutor}, and {@code send_message} on
 * the bounded message writer. The thread that finishes the work sends the response.
 */
public final class ChatGateway {
    private static final Logger log = LoggerFactory.getLogger(ChatGateway.class);
    private static final String TICKET_ROOM_PREFIX = "ticket:";
    private static final String USER_ROOM_PREFIX = "user:";
    /** Room of every staff connection, for events that go to all staff. */
    static final String STAFF_ROOM = "staff";
    /** Maximum token lifetime the expiry wheel tracks. A token valid for longer expires after it. */
    private static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(365L * 100);

    private final Namespace namespace;
    private final JwtService jwtService;
    private final AuthService authService;
    private final PresenceTracker presence;
    private final DbExecutor db;
    private final LimitsConfig limits;
    private final ChatMetrics metrics;
    private final Replies replies;
    private final TicketEvents ticketEvents;
    private final LiveEvents liveEvents;
    private final TypingTracker typing;
    private final TokenExpiryWheel tokenExpiry;
    private final EventRateLimiter rateLimiter;
    private final AtomicLong connectionCounter = new AtomicLong();
    private final UserConnectionCounts connectionCounts = new UserConnectionCounts();

    public ChatGateway(
            Namespace namespace,
            ChatServices services,
            PresenceTracker presence,
            DbExecutor db,
            TimerService timers,
            ObjectMapper mapper,
            LimitsConfig limits,
            Duration typingTimeout,
            ChatMetrics metrics) {
        this.namespace = namespace;
        this.jwtService = services.jwt();
        this.authService = services.auth();
        this.presence = presence;
        this.db = db;
        this.limits = limits;
        this.metrics = metrics;
        this.replies = new Replies(mapper, metrics);
        this.typing = new TypingTracker();
        this.ticketEvents = new TicketEvents(namespace, services, db, mapper, replies, metrics,
                limits.maxJoinedTickets());
        this.liveEvents = new LiveEvents(namespace, services, presence, typing, db, timers, replies, typingTimeout);
        this.tokenExpiry = new TokenExpiryWheel(timers, this::onTokenExpired);
        this.rateLimiter = new EventRateLimiter(limits.eventsPerSecond(), limits.eventBurst(),
                limits.floodDisconnectMillis());
    }

    /** Registers the handshake check and the event listeners on the namespace. */
    public void install() {
        namespace.use(this::authorize);
        namespace.onConnection(this::onConnection);
        listen(ClientEvent.JOIN_TICKET, ticketEvents::join);
        listen(ClientEvent.LEAVE_TICKET, this::leave);
        listen(ClientEvent.GET_TICKET_MESSAGES, ticketEvents::history);
        listen(ClientEvent.SEND_MESSAGE, ticketEvents::send);
        listen(ClientEvent.TYPING, liveEvents::typing);
        listen(ClientEvent.MARK_READ, liveEvents::markRead);
        listen(ClientEvent.SET_STATUS, liveEvents::setStatus);
        namespace.onDisconnect(this::onDisconnect);
    }

    /** Returns the Socket.IO room of a ticket. */
    static String ticketRoom(String ticketId) {
        return TICKET_ROOM_PREFIX + ticketId;
    }

    /** Returns the room that contains every connection of one user. */
    static String userRoom(String userId) {
        return USER_ROOM_PREFIX + userId;
    }

    /** Sends a stored message to everyone in its ticket's room; REST sends go through here too. */
    public void publishNewMessage(Message message) {
        ticketEvents.publishNewMessage(message);
    }

    /** Returns the number of users with an open connection on this node, for the gauge. */
    public int connectedUserCount() {
        return connectionCounts.userCount();
    }

    /** Returns the number of open connections waiting for their token to expire, for the timers gauge. */
    public int pendingTokenExpiryCount() {
        return tokenExpiry.size();
    }

    /** Returns the number of (ticket, user) pairs marked as typing, for the gauge. */
    public int typingEntryCount() {
        return liveEvents.typingEntryCount();
    }

    /**
     * Returns the audit checks of per-connection state kept here and in presence: typing entries, presence
     * connection ids and token-expiry entries of closed connections, and per-user connection counts above the open
     * connections.
     */
    public List<AuditCheck<?>> staleStateChecks() {
        ConnectionStateChecks checks = new ConnectionStateChecks(namespace, typing, connectionCounts, presence);
        return List.of(checks.typingCheck(), checks.presenceConnectionCheck(), checks.connectionCountCheck(),
                tokenExpiry.staleEntryCheck());
    }

    /**
     * Sends {@code ticket_updated} {@code {ticket}} once to every socket in the ticket's room, the customer's
     * user room or the staff room (a socket in several gets it once), then each system message of the change
     * as {@code new_message} to the ticket's room. Sends nothing when the update changed nothing.
     */
    public void publishTicketUpdate(TicketUpdate<Message> update) {
        if (!update.changed()) {
            return;
        }
        Ticket ticket = update.ticket();
        ObjectNode event = replies.object();
        event.set("ticket", ticket.toWire());
        namespace.to(ticketRoom(ticket.id()))
                .to(userRoom(ticket.customerId()))
                .to(STAFF_ROOM)
                .emit(ServerEvent.TICKET_UPDATED.wireName(), event);
        update.systemMessages().forEach(this::publishNewMessage);
    }

    private void authorize(Handshake handshake, ConnectCallback callback) {
        String token = tokenOf(handshake);
        TokenClaims claims;
        try {
            claims = jwtService.verify(token);
        } catch (ApiException e) {
            log.debug("handshake rejected code={} remote={}", e.code().wireName(), handshake.remoteAddress());
            metrics.rejected(ChatMetrics.Via.HANDSHAKE, ErrorCode.UNAUTHORIZED);
            callback.reject(ErrorCode.UNAUTHORIZED.wireName(), null);
            return;
        }
        long deadlineNanos = deadlineNanos(claims.expiresAt());
        db.submit(() -> authService.authenticate(token)).whenComplete((user, failure) -> {
            if (failure == null && connectionCounts.count(user.id()) >= limits.maxConnectionsPerUser()) {
                log.debug("handshake rejected code=limit_exceeded user={}", user.id());
                metrics.rejected(ChatMetrics.Via.HANDSHAKE, ErrorCode.LIMIT_EXCEEDED);
                callback.reject(ErrorCode.LIMIT_EXCEEDED.wireName(), null);
                return;
            }
            if (failure == null) {
                callback.accept(newConnection(user, deadlineNanos));
                return;
            }
            ErrorCode code = Replies.errorCodeOf(failure);
            if (code == ErrorCode.INTERNAL) {
                log.warn("handshake failed user={}", claims.userId(), Replies.unwrap(failure));
            }
            ErrorCode sent = code == ErrorCode.INTERNAL || code == ErrorCode.OVERLOADED ? code : ErrorCode.UNAUTHORIZED;
            metrics.rejected(ChatMetrics.Via.HANDSHAKE, sent);
            callback.reject(sent.wireName(), null);
        });
    }

    private ClientConnection newConnection(User user, long tokenDeadlineNanos) {
        return new ClientConnection(connectionCounter.incrementAndGet(), user, tokenDeadlineNanos, rateLimiter);
    }

    /**
     * Returns the {@link System#nanoTime()} at which a token expires, at most {@link #MAX_TOKEN_LIFETIME} from now
     * so that a far-future expiry cannot overflow the nanosecond clock.
     */
    private static long deadlineNanos(Instant expiresAt) {
        Duration left = Duration.between(Instant.now(), expiresAt);
        if (left.isNegative()) {
            left = Duration.ZERO;
        } else if (left.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            left = MAX_TOKEN_LIFETIME;
        }
        return System.nanoTime() + left.toNanos();
    }

    private static String tokenOf(Handshake handshake) {
        JsonNode auth = handshake.auth();
        if (auth != null && auth.path("token").isTextual()) {
            return auth.path("token").asText();
        }
        return handshake.queryParam("token");
    }

    private void onConnection(SocketIoSocket socket) {
        ClientConnection connection = socket.attachment();
        User user = connection.user();
        if (!connectionCounts.tryAdd(user.id(), limits.maxConnectionsPerUser())) {
            // Handshakes of one user that passed the check at the same time can overshoot the limit, so the
            // later ones get limit_exceeded and are closed here.
            connection.close();
            replies.fail(socket, null, new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Too many connections (max " + limits.maxConnectionsPerUser() + " per user)"), false);
            socket.disconnect(true);
            return;
        }
        connection.shareUser(userOfOtherConnection(user));
        socket.join(userRoom(user.id()));
        if (user.role().isStaff()) {
            socket.join(STAFF_ROOM);
            PresenceStatus chosen = PresenceStatus.choosable(user.status()).orElse(PresenceStatus.ONLINE);
            presence.connected(user.id(), user.name(), connection.id(), chosen);
        }
        connection.setSocket(socket);
        tokenExpiry.add(connection);
        log.debug("connected conn={} user={} role={} transport={}", socket.id(), user.id(),
                user.role().wireName(), socket.transportName());
    }

    private void onTokenExpired(ClientConnection connection) {
        SocketIoSocket socket = connection.socket();
        log.debug("token expired, disconnecting conn={} user={}", socket.id(), connection.user().id());
        socket.disconnect(true);
    }

    /**
     * Returns the user object of another open connection of the same user if it is equal to {@code user}, and
     * {@code user} otherwise. Every handshake reads the user anew, so without this each connection would keep its
     * own copy of the same record and strings. The user's other connections are the members of their user room.
     */
    private User userOfOtherConnection(User user) {
        for (SocketIoSocket other : namespace.socketsIn(userRoom(user.id()))) {
            ClientConnection connection = other.attachment();
            if (connection != null && user.equals(connection.user())) {
                return connection.user();
            }
        }
        return user;
    }

    private void leave(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        String ticketId;
        try {
            ticketId = ticketIdOf(payload);
        } catch (ApiException e) {
            replies.fail(socket, ack, e, false);
            return;
        }
        liveEvents.stopTyping(connection, ticketId);
        ticketEvents.leave(socket, connection, ticketId, ack);
    }

    private void onDisconnect(SocketIoSocket socket, String reason) {
        ClientConnection connection = socket.attachment();
        if (connection.isClosed()) {
            // Closed before the disconnect: onConnection turned the socket away over the per-user limit, so
            // it holds no count, presence or tickets to release.
            return;
        }
        ClientConnection.Released released = connection.close();
        tokenExpiry.remove(connection);
        User user = connection.user();
        connectionCounts.remove(user.id());
        for (String ticketId : released.typingTicketIds()) {
            liveEvents.typingEnded(connection, ticketId);
        }
        ticketEvents.announceLeft(user, released.joinedTicketIds());
        if (user.role().isStaff()) {
            presence.disconnected(user.id(), connection.id());
        }
        log.debug("disconnected conn={} user={} reason={}", socket.id(), user.id(), reason);
    }

    /**
     * Registers a namespace-wide listener behind each connection's rate limit. One listener serves every socket
     * and finds the socket's state in its attachment, so an idle connection carries no listener objects.
     */
    private void listen(ClientEvent event, EventHandler handler) {
        namespace.on(event.wireName(), (s, args, ack) -> {
            ClientConnection connection = s.attachment();
            metrics.eventReceived();
            if (admit(s, connection, event, ack)) {
                handler.handle(s, connection, args == null || args.isEmpty() ? NullNode.getInstance() : args.get(0),
                        ack);
            }
        });
    }

    private boolean admit(SocketIoSocket socket, ClientConnection connection, ClientEvent event, Ack ack) {
        long now = System.nanoTime();
        EventRateLimiter.Outcome outcome = rateLimiter.acquire(connection, now);
        if (outcome == EventRateLimiter.Outcome.ACCEPTED) {
            return true;
        }
        if (outcome == EventRateLimiter.Outcome.DISCONNECT) {
            metrics.rejected(ChatMetrics.Via.SOCKET, ErrorCode.RATE_LIMITED);
            log.warn("connection kept exceeding the event rate limit, disconnecting conn={} user={} event={}",
                    socket.id(), connection.user().id(), event.wireName());
            socket.disconnect(true);
            return false;
        }
        ApiException limited = new ApiException(ErrorCode.RATE_LIMITED,
                "Too many events (max " + limits.eventsPerSecond() + " per second)");
        if (ack != null || rateLimiter.mayReportRejection(connection, now)) {
            replies.fail(socket, ack, limited, false);
        } else {
            // No error event goes out for this one, but it is a rejection all the same.
            metrics.rejected(ChatMetrics.Via.SOCKET, ErrorCode.RATE_LIMITED);
        }
        return false;
    }

    /** Reads {@code ticketId} or {@code {ticketId}}; ids are non-empty strings of at most 128 characters. */
    static String ticketIdOf(JsonNode payload) {
        JsonNode id = payload != null && payload.isObject() ? payload.get("ticketId") : payload;
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > 128
                || !UnicodeText.isStorable(id.asText())) {
            throw ApiException.invalid("ticketId must be a non-empty string");
        }
        return id.asText();
    }

    /** A client event handler; {@code payload} is the first argument, JSON null when there was none. */
    @FunctionalInterface
    interface EventHandler {
        void handle(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack);
    }
}

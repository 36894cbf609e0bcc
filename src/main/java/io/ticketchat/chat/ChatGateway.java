package io.ticketchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.auth.AuthService;
import io.ticketchat.auth.JwtService;
import io.ticketchat.auth.TokenClaims;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.message.HistoryPage;
import io.ticketchat.message.HistoryRequest;
import io.ticketchat.message.Message;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.SendRequest;
import io.ticketchat.socketio.Ack;
import io.ticketchat.socketio.ConnectCallback;
import io.ticketchat.socketio.Handshake;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoSocket;
import io.ticketchat.text.UnicodeText;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat events of the client contract on the Socket.IO default namespace: handshake authentication,
 * {@code join_ticket}, {@code leave_ticket}, {@code get_ticket_messages} and {@code send_message}.
 *
 * <p>Each connection's state lives in one {@link ClientConnection}, held by its socket and released on
 * disconnect. Listeners run on the socket's event loop and never block it: ticket checks and message
 * storage run on the bounded {@link DbExecutor}, and the answer is sent from there. A message is committed
 * before {@code new_message} goes out or the acknowledgement says ok.
 */
public final class ChatGateway {
    private static final Logger log = LoggerFactory.getLogger(ChatGateway.class);
    private static final String TICKET_ROOM_PREFIX = "ticket:";
    static final String UNAUTHORIZED_MESSAGE = ErrorCode.UNAUTHORIZED.wireName();

    private final Namespace namespace;
    private final JwtService jwtService;
    private final AuthService authService;
    private final TicketService ticketService;
    private final MessageService messageService;
    private final DbExecutor db;
    private final ScheduledExecutorService timers;
    private final ObjectMapper mapper;
    private final int maxJoinedTickets;
    /**
     * Orders room changes with the {@code active_users} lists computed from them, so the last list each
     * member receives matches the room. One lock for all rooms: each hold is a few map reads.
     */
    private final Object roomLock = new Object();

    public ChatGateway(
            Namespace namespace,
            JwtService jwtService,
            AuthService authService,
            TicketService ticketService,
            MessageService messageService,
            DbExecutor db,
            ScheduledExecutorService timers,
            ObjectMapper mapper,
            int maxJoinedTickets) {
        this.namespace = namespace;
        this.jwtService = jwtService;
        this.authService = authService;
        this.ticketService = ticketService;
        this.messageService = messageService;
        this.db = db;
        this.timers = timers;
        this.mapper = mapper;
        this.maxJoinedTickets = maxJoinedTickets;
    }

    /** Registers the handshake check and the event listeners on the namespace. */
    public void install() {
        namespace.use(this::authorize);
        namespace.onConnection(this::onConnection);
    }

    /** Returns the Socket.IO room of a ticket. */
    static String ticketRoom(String ticketId) {
        return TICKET_ROOM_PREFIX + ticketId;
    }

    /** Sends a stored message to everyone in its ticket's room; REST sends go through here too. */
    public void publishNewMessage(Message message) {
        namespace.to(ticketRoom(message.ticketId())).emit(ServerEvent.NEW_MESSAGE.wireName(), message.toWire());
    }

    private void authorize(Handshake handshake, ConnectCallback callback) {
        String token = tokenOf(handshake);
        TokenClaims claims;
        try {
            claims = jwtService.verify(token);
        } catch (ApiException e) {
            log.debug("handshake rejected code={} remote={}", e.code().wireName(), handshake.remoteAddress());
            callback.reject(UNAUTHORIZED_MESSAGE, null);
            return;
        }
        Instant expiresAt = claims.expiresAt();
        submit(() -> authService.authenticate(token)).whenComplete((user, failure) -> {
            if (failure == null) {
                callback.accept(new ClientConnection(user, expiresAt));
                return;
            }
            ErrorCode code = errorCodeOf(failure);
            if (code == ErrorCode.INTERNAL) {
                log.warn("handshake failed user={}", claims.userId(), unwrap(failure));
            }
            callback.reject(code == ErrorCode.INTERNAL || code == ErrorCode.OVERLOADED
                    ? code.wireName() : UNAUTHORIZED_MESSAGE, null);
        });
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
        long untilExpiryMillis = Duration.between(Instant.now(), connection.tokenExpiresAt()).toMillis();
        connection.setExpiryTimer(timers.schedule(() -> {
            log.debug("token expired, disconnecting conn={} user={}", socket.id(), connection.user().id());
            socket.disconnect(true);
        }, Math.max(0, untilExpiryMillis), TimeUnit.MILLISECONDS));

        socket.on(ClientEvent.JOIN_TICKET.wireName(), (s, args, ack) -> joinTicket(s, connection, args, ack));
        socket.on(ClientEvent.LEAVE_TICKET.wireName(), (s, args, ack) -> leaveTicket(s, connection, args, ack));
        socket.on(ClientEvent.GET_TICKET_MESSAGES.wireName(), (s, args, ack) -> getMessages(s, connection, args, ack));
        socket.on(ClientEvent.SEND_MESSAGE.wireName(), (s, args, ack) -> sendMessage(s, connection, args, ack));
        socket.onDisconnect(reason -> onDisconnect(socket, connection, reason));
        log.debug("connected conn={} user={} role={} transport={}", socket.id(), connection.user().id(),
                connection.user().role().wireName(), socket.transportName());
    }

    private void onDisconnect(SocketIoSocket socket, ClientConnection connection, String reason) {
        List<String> joined = connection.close();
        synchronized (roomLock) {
            for (String ticketId : joined) {
                announceIfLastLeft(connection.user(), ticketId);
            }
        }
        log.debug("disconnected conn={} user={} reason={}", socket.id(), connection.user().id(), reason);
    }

    private void joinTicket(SocketIoSocket socket, ClientConnection connection, ArrayNode args, Ack ack) {
        String ticketId;
        try {
            ticketId = ticketIdOf(firstArg(args));
        } catch (ApiException e) {
            fail(socket, ack, e, false);
            return;
        }
        if (!connection.hasJoined(ticketId) && connection.joinedCount() >= maxJoinedTickets) {
            fail(socket, ack, new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Too many tickets joined (max " + maxJoinedTickets + ")"), false);
            return;
        }
        User user = connection.user();
        submit(() -> ticketService.findVisible(user, ticketId)).whenComplete((ticket, failure) -> {
            if (failure != null) {
                fail(socket, ack, failure, false);
                return;
            }
            socket.execute(() -> completeJoin(socket, connection, ticketId, ack));
        });
    }

    /**
     * Joins the room after the visibility check, on the socket's event loop so that a disconnect is either
     * fully before (and nothing is joined) or fully after (and its clean-up removes the membership).
     */
    private void completeJoin(SocketIoSocket socket, ClientConnection connection, String ticketId, Ack ack) {
        String room = ticketRoom(ticketId);
        List<Map<String, Object>> users;
        synchronized (roomLock) {
            boolean firstOfUser = !userPresentIn(room, connection.user().id());
            if (!connection.join(ticketId, () -> socket.join(room))) {
                return;
            }
            users = activeUsers(room);
            ObjectNode event = activeUsersEvent(ticketId, users);
            if (firstOfUser) {
                namespace.to(room).emit(ServerEvent.ACTIVE_USERS.wireName(), event);
            } else {
                socket.emit(ServerEvent.ACTIVE_USERS.wireName(), event);
            }
        }
        if (ack != null) {
            ObjectNode result = okResult();
            result.put("ticketId", ticketId);
            result.set("activeUsers", mapper.valueToTree(users));
            ack.send(result);
        }
    }

    private void leaveTicket(SocketIoSocket socket, ClientConnection connection, ArrayNode args, Ack ack) {
        String ticketId;
        try {
            ticketId = ticketIdOf(firstArg(args));
        } catch (ApiException e) {
            fail(socket, ack, e, false);
            return;
        }
        if (connection.leave(ticketId)) {
            synchronized (roomLock) {
                socket.leave(ticketRoom(ticketId));
                announceIfLastLeft(connection.user(), ticketId);
            }
        }
        if (ack != null) {
            ObjectNode result = okResult();
            result.put("ticketId", ticketId);
            ack.send(result);
        }
    }

    private void getMessages(SocketIoSocket socket, ClientConnection connection, ArrayNode args, Ack ack) {
        HistoryRequest request;
        try {
            request = messageService.parseHistoryRequest(firstArg(args));
        } catch (ApiException e) {
            fail(socket, ack, e, true);
            return;
        }
        submit(() -> messageService.history(connection.user(), request)).whenComplete((page, failure) -> {
            if (failure != null) {
                fail(socket, ack, failure, true);
                return;
            }
            sendHistory(socket, ack, page);
        });
    }

    private void sendHistory(SocketIoSocket socket, Ack ack, HistoryPage page) {
        ArrayNode messages = mapper.createArrayNode();
        for (Message message : page.messages()) {
            messages.add(message.toWire());
        }
        socket.emit(ServerEvent.TICKET_MESSAGES.wireName(), messages);
        if (ack != null) {
            ObjectNode result = okResult();
            result.put("ticketId", page.ticketId());
            result.set("messages", messages);
            result.put("hasMore", page.hasMore());
            ack.send(result);
        }
    }

    private void sendMessage(SocketIoSocket socket, ClientConnection connection, ArrayNode args, Ack ack) {
        SendRequest request;
        try {
            request = messageService.parseSendRequest(firstArg(args));
        } catch (ApiException e) {
            fail(socket, ack, e, false);
            return;
        }
        submit(() -> messageService.send(connection.user(), request)).whenComplete((result, failure) -> {
            if (failure != null) {
                fail(socket, ack, failure, false);
                return;
            }
            ObjectNode wire = result.message().toWire();
            if (result.created()) {
                namespace.to(ticketRoom(result.message().ticketId())).emit(ServerEvent.NEW_MESSAGE.wireName(), wire);
            }
            if (ack != null) {
                ObjectNode reply = okResult();
                reply.set("message", wire);
                ack.send(reply);
            }
        });
    }

    private void announceIfLastLeft(User user, String ticketId) {
        String room = ticketRoom(ticketId);
        if (!userPresentIn(room, user.id())) {
            namespace.to(room).emit(ServerEvent.ACTIVE_USERS.wireName(), activeUsersEvent(ticketId, activeUsers(room)));
        }
    }

    private boolean userPresentIn(String room, String userId) {
        for (SocketIoSocket member : namespace.socketsIn(room)) {
            ClientConnection other = member.attachment();
            if (other != null && other.user().id().equals(userId)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the distinct users joined to a room, one entry per user however many tabs they have open. */
    private List<Map<String, Object>> activeUsers(String room) {
        Map<String, Map<String, Object>> byUser = new LinkedHashMap<>();
        for (SocketIoSocket member : namespace.socketsIn(room)) {
            ClientConnection other = member.attachment();
            if (other == null || other.isClosed()) {
                continue;
            }
            User user = other.user();
            byUser.computeIfAbsent(user.id(), id -> Map.of(
                    "userId", id, "userName", user.name(), "role", user.role().wireName()));
        }
        return List.copyOf(byUser.values());
    }

    private ObjectNode activeUsersEvent(String ticketId, List<Map<String, Object>> users) {
        ObjectNode event = mapper.createObjectNode();
        event.put("ticketId", ticketId);
        event.set("users", mapper.valueToTree(users));
        return event;
    }

    private void fail(SocketIoSocket socket, Ack ack, Throwable failure, boolean historyRequest) {
        ErrorCode code = errorCodeOf(failure);
        Throwable cause = unwrap(failure);
        String message = cause instanceof ApiException api ? api.clientMessage() : "Internal server error";
        if (code == ErrorCode.INTERNAL) {
            log.warn("event failed conn={}", socket.id(), cause);
        }
        ObjectNode error = mapper.createObjectNode();
        error.put("code", code.wireName());
        error.put("message", message);
        if (ack != null) {
            ObjectNode result = mapper.createObjectNode();
            result.put("ok", false);
            result.set("error", error);
            ack.send(result);
            return;
        }
        socket.emit(ServerEvent.ERROR.wireName(), error);
        if (historyRequest) {
            socket.emit(ServerEvent.TICKET_MESSAGES.wireName(), mapper.createArrayNode());
        }
    }

    private ObjectNode okResult() {
        ObjectNode result = mapper.createObjectNode();
        result.put("ok", true);
        return result;
    }

    private <T> CompletableFuture<T> submit(Callable<T> work) {
        return db.submit(work);
    }

    private static JsonNode firstArg(ArrayNode args) {
        return args == null || args.isEmpty() ? NullNode.getInstance() : args.get(0);
    }

    /**
     * Reads {@code ticketId} or {@code {ticketId}}. Ids are non-blank strings that every store can keep, so a
     * NUL or an unpaired surrogate is {@code invalid_request} here rather than a failed query later.
     */
    static String ticketIdOf(JsonNode payload) {
        JsonNode id = payload != null && payload.isObject() ? payload.get("ticketId") : payload;
        if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > 100
                || !UnicodeText.isStorable(id.asText())) {
            throw ApiException.invalid("ticketId must be a non-empty string");
        }
        return id.asText();
    }

    private static ErrorCode errorCodeOf(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof ApiException api ? api.code() : ErrorCode.INTERNAL;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

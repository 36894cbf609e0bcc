package io.ticketchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.message.HistoryPage;
import io.ticketchat.message.HistoryRequest;
import io.ticketchat.message.Message;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.MessageWriter;
import io.ticketchat.message.SendRequest;
import io.ticketchat.metrics.ChatMetrics;
import io.ticketchat.socketio.Ack;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoSocket;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code join_ticket}, {@code leave_ticket}, {@code get_ticket_messages} and {@code send_message}, and the
 * {@code active_users} lists that joins and leaves change.
 *
 * <p>A message is committed before {@code new_message} goes out or the acknowledgement reports success: the
 * {@link MessageWriter} completes a send after its batch commits, in queue order, so the messages of a ticket are
 * acknowledged and broadcast in the order they were stored. Room changes and the {@code active_users} lists
 * computed from them happen under one lock, so the last list each member receives matches the room.
 */
final class TicketEvents {
    private final Namespace namespace;
    private final TicketService ticketService;
    private final MessageService messageService;
    private final MessageWriter messageWriter;
    private final DbExecutor db;
    private final ObjectMapper mapper;
    private final Replies replies;
    private final ChatMetrics metrics;
    private final int maxJoinedTickets;
    /** Orders room changes with the lists computed from them. One lock for all rooms: each hold is short. */
    private final Object roomLock = new Object();

    TicketEvents(Namespace namespace, ChatServices services, DbExecutor db, ObjectMapper mapper, Replies replies,
            ChatMetrics metrics, int maxJoinedTickets) {
        this.namespace = namespace;
        this.ticketService = services.tickets();
        this.messageService = services.messages();
        this.messageWriter = services.messageWriter();
        this.db = db;
        this.mapper = mapper;
        this.replies = replies;
        this.metrics = metrics;
        this.maxJoinedTickets = maxJoinedTickets;
    }

    void join(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        String ticketId;
        try {
            ticketId = ChatGateway.ticketIdOf(payload);
        } catch (ApiException e) {
            replies.fail(socket, ack, e, false);
            return;
        }
        if (!connection.hasJoined(ticketId) && connection.joinedCount() >= maxJoinedTickets) {
            replies.fail(socket, ack, new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Too many tickets joined (max " + maxJoinedTickets + ")"), false);
            return;
        }
        User user = connection.user();
        db.submit(() -> ticketService.findVisible(user, ticketId)).whenComplete((ticket, failure) -> {
            if (failure != null) {
                replies.fail(socket, ack, failure, false);
                return;
            }
            socket.execute(() -> completeJoin(socket, connection, ticketId, ack));
        });
    }

    /**
     * Joins the room after the visibility check, on the socket's event loop, so that a disconnect is either
     * fully before (and nothing is joined) or fully after (and its clean-up removes the membership).
     */
    private void completeJoin(SocketIoSocket socket, ClientConnection connection, String ticketId, Ack ack) {
        String room = ChatGateway.ticketRoom(ticketId);
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
            ObjectNode result = replies.ok();
            result.put("ticketId", ticketId);
            result.set("activeUsers", mapper.valueToTree(users));
            ack.send(result);
        }
    }

    void leave(SocketIoSocket socket, ClientConnection connection, String ticketId, Ack ack) {
        if (connection.leave(ticketId)) {
            synchronized (roomLock) {
                socket.leave(ChatGateway.ticketRoom(ticketId));
                announceIfLastLeft(connection.user(), ticketId);
            }
        }
        if (ack != null) {
            ObjectNode result = replies.ok();
            result.put("ticketId", ticketId);
            ack.send(result);
        }
    }

    /** Sends {@code active_users} to each ticket that a closed connection was the user's last one in. */
    void announceLeft(User user, List<String> ticketIds) {
        synchronized (roomLock) {
            for (String ticketId : ticketIds) {
                announceIfLastLeft(user, ticketId);
            }
        }
    }

    void history(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        HistoryRequest request;
        try {
            request = messageService.parseHistoryRequest(payload);
        } catch (ApiException e) {
            replies.fail(socket, ack, e, true);
            return;
        }
        db.submit(() -> messageService.history(connection.user(), request)).whenComplete((page, failure) -> {
            if (failure != null) {
                replies.fail(socket, ack, failure, true);
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
            ObjectNode result = replies.ok();
            result.put("ticketId", page.ticketId());
            result.set("messages", messages);
            result.put("hasMore", page.hasMore());
            ack.send(result);
        }
    }

    void send(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        SendRequest request;
        try {
            request = messageService.parseSendRequest(payload);
        } catch (ApiException e) {
            replies.fail(socket, ack, e, false);
            return;
        }
        messageWriter.send(connection.user(), request).whenComplete((result, failure) -> {
            if (failure != null) {
                replies.fail(socket, ack, failure, false);
                return;
            }
            ObjectNode wire = result.message().toWire();
            if (result.created()) {
                publish(result.message().ticketId(), wire);
            }
            if (ack != null) {
                ObjectNode reply = replies.ok();
                reply.set("message", wire);
                ack.send(reply);
            }
        });
    }

    void publishNewMessage(Message message) {
        publish(message.ticketId(), message.toWire());
    }

    private void publish(String ticketId, ObjectNode wireMessage) {
        metrics.messageSent();
        namespace.to(ChatGateway.ticketRoom(ticketId)).emit(ServerEvent.NEW_MESSAGE.wireName(), wireMessage);
    }

    private void announceIfLastLeft(User user, String ticketId) {
        String room = ChatGateway.ticketRoom(ticketId);
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
}

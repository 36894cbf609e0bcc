package io.ticketchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.concurrent.TimerService;
import io.ticketchat.concurrent.TimerService.Timer;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.message.MarkReadRequest;
import io.ticketchat.message.MessageService;
import io.ticketchat.presence.PresenceStatus;
import io.ticketchat.presence.PresenceTracker;
import io.ticketchat.socketio.Ack;
import io.ticketchat.socketio.BroadcastOperator;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoSocket;
import io.ticketchat.text.Timestamps;
import io.ticketchat.user.User;
import io.ticketchat.user.UserStore;
import java.time.Duration;

/**
 * {@code typing}, {@code mark_read} and {@code set_status}: the live signals of the desk.
 *
 * <p>Typing is never stored. A connection's typing state in a ticket ends when the client sends
 * {@code isTyping: false}, when it leaves the ticket or closes, or the typing timeout (10 s by default) after
 * its last {@code isTyping: true}. The expiry timer belongs to the connection and is cancelled with it.
 */
final class LiveEvents {
    private final Namespace namespace;
    private final MessageService messageService;
    private final UserStore users;
    private final PresenceTracker presence;
    private final TypingTracker typing;
    private final DbExecutor db;
    private final TimerService timers;
    private final Replies replies;
    private final Duration typingTimeout;

    LiveEvents(Namespace namespace, ChatServices services, PresenceTracker presence, TypingTracker typing,
            DbExecutor db, TimerService timers, Replies replies, Duration typingTimeout) {
        this.namespace = namespace;
        this.messageService = services.messages();
        this.users = services.users();
        this.presence = presence;
        this.typing = typing;
        this.db = db;
        this.timers = timers;
        this.replies = replies;
        this.typingTimeout = typingTimeout;
    }

    void typing(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        String ticketId;
        boolean isTyping;
        try {
            ticketId = ChatGateway.ticketIdOf(payload);
            JsonNode flag = payload.get("isTyping");
            if (!payload.isObject() || flag == null || !flag.isBoolean()) {
                throw ApiException.invalid("typing takes {ticketId, isTyping} with isTyping true or false");
            }
            isTyping = flag.booleanValue();
            if (!connection.hasJoined(ticketId)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "Join the ticket before sending typing events");
            }
        } catch (ApiException e) {
            replies.fail(socket, ack, e, false);
            return;
        }
        if (isTyping) {
            startTyping(connection, ticketId);
        } else {
            stopTyping(connection, ticketId);
        }
        if (ack != null) {
            ack.send(replies.ok());
        }
    }

    private void startTyping(ClientConnection connection, String ticketId) {
        Timer[] expiry = new Timer[1];
        expiry[0] = timers.schedule(typingTimeout, connection, () -> {
            if (connection.typingExpired(ticketId, expiry[0])) {
                typingEnded(connection, ticketId);
            }
        });
        if (!connection.setTypingTimer(ticketId, expiry[0])) {
            return;
        }
        User user = connection.user();
        synchronized (typing) {
            if (typing.start(ticketId, user.id(), connection.id())) {
                broadcastTyping(ticketId, user, true);
            }
        }
    }

    /** Ends a connection's typing state in a ticket, as when it leaves the ticket. */
    void stopTyping(ClientConnection connection, String ticketId) {
        if (connection.clearTyping(ticketId)) {
            typingEnded(connection, ticketId);
        }
    }

    /** Announces {@code isTyping: false} if this was the user's last typing connection in the ticket. */
    void typingEnded(ClientConnection connection, String ticketId) {
        User user = connection.user();
        synchronized (typing) {
            if (typing.stop(ticketId, user.id(), connection.id())) {
                broadcastTyping(ticketId, user, false);
            }
        }
    }

    private void broadcastTyping(String ticketId, User user, boolean isTyping) {
        BroadcastOperator target = namespace.to(ChatGateway.ticketRoom(ticketId));
        for (SocketIoSocket own : namespace.socketsIn(ChatGateway.userRoom(user.id()))) {
            target = target.except(own);
        }
        ObjectNode event = replies.object();
        event.put("ticketId", ticketId);
        event.put("userId", user.id());
        event.put("userName", user.name());
        event.put("isTyping", isTyping);
        target.emit(ServerEvent.USER_TYPING.wireName(), event);
    }

    int typingEntryCount() {
        return typing.entryCount();
    }

    void markRead(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        MarkReadRequest request;
        try {
            request = messageService.parseMarkReadRequest(payload);
        } catch (ApiException e) {
            replies.fail(socket, ack, e, false);
            return;
        }
        db.submit(() -> messageService.markRead(connection.user(), request)).whenComplete((result, failure) -> {
            if (failure != null) {
                replies.fail(socket, ack, failure, false);
                return;
            }
            if (result.changed()) {
                ObjectNode event = replies.object();
                event.put("ticketId", result.ticketId());
                event.put("userId", result.userId());
                event.put("upToMessageId", result.upToMessageId());
                event.put("readAt", Timestamps.toWire(result.readAt()));
                namespace.to(ChatGateway.ticketRoom(result.ticketId()))
                        .emit(ServerEvent.MESSAGES_READ.wireName(), event);
            }
            if (ack != null) {
                ObjectNode reply = replies.ok();
                reply.put("upToMessageId", result.upToMessageId());
                ack.send(reply);
            }
        });
    }

    void setStatus(SocketIoSocket socket, ClientConnection connection, JsonNode payload, Ack ack) {
        User user = connection.user();
        PresenceStatus status;
        try {
            if (!user.role().isStaff()) {
                throw new ApiException(ErrorCode.FORBIDDEN, "Only staff have a status");
            }
            JsonNode value = payload.isObject() ? payload.get("status") : null;
            status = value == null || !value.isTextual() ? null
                    : PresenceStatus.choosable(value.asText()).orElse(null);
            if (status == null) {
                throw ApiException.invalid("status must be online, away or busy");
            }
        } catch (ApiException e) {
            replies.fail(socket, ack, e, false);
            return;
        }
        PresenceStatus chosen = status;
        db.submit(() -> users.updateStatus(user.id(), chosen.wireName())).whenComplete((updated, failure) -> {
            if (failure != null) {
                replies.fail(socket, ack, failure, false);
                return;
            }
            presence.choose(user.id(), chosen);
            if (ack != null) {
                ObjectNode reply = replies.ok();
                reply.put("status", chosen.wireName());
                ack.send(reply);
            }
        });
    }
}

package io.ticketchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.metrics.ChatMetrics;
import io.ticketchat.socketio.Ack;
import io.ticketchat.socketio.SocketIoSocket;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure of a client event becomes a contract error: in the acknowledgement when the
 * client asked for one, else as an {@code error} event. Only {@link ApiException} messages reach the client;
 * anything else is {@code internal}, with the cause logged here.
 */
final class Replies {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    private final ObjectMapper mapper;
    private final ChatMetrics metrics;

    Replies(ObjectMapper mapper, ChatMetrics metrics) {
        this.mapper = mapper;
        this.metrics = metrics;
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    ObjectNode ok() {
        ObjectNode result = mapper.createObjectNode();
        result.put("ok", true);
        return result;
    }

    /**
     * Sends a failure to the client.
     *
     * @param historyRequest whether the event was {@code get_ticket_messages}, whose event-style clients also
     *     expect an empty {@code ticket_messages} after the {@code error} event
     */
    void fail(SocketIoSocket socket, Ack ack, Throwable failure, boolean historyRequest) {
        Throwable cause = unwrap(failure);
        ErrorCode code = cause instanceof ApiException api ? api.code() : ErrorCode.INTERNAL;
        String message = cause instanceof ApiException api ? api.clientMessage() : "Internal server error";
        if (code == ErrorCode.INTERNAL) {
            log.warn("event failed conn={}", socket.id(), cause);
        }
        metrics.rejected(ChatMetrics.Via.SOCKET, code);
        ObjectNode error = errorBody(code, message);
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

    ObjectNode errorBody(ErrorCode code, String message) {
        ObjectNode error = mapper.createObjectNode();
        error.put("code", code.wireName());
        error.put("message", message);
        return error;
    }

    static ErrorCode errorCodeOf(Throwable failure) {
        return unwrap(failure) instanceof ApiException api ? api.code() : ErrorCode.INTERNAL;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

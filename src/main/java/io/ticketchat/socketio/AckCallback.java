package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Receives the client's acknowledgement of {@link SocketIoSocket#emitWithAck}, exactly once, on the socket's event
 * loop.
 */
@FunctionalInterface
public interface AckCallback {
    /**
     * @param error null on success; an {@link AckException} when the client sent no acknowledgement in time, the socket
     *     disconnected first, or too many acknowledgements were already pending
     * @param args the client's arguments, or null when {@code error} is set
     */
    void onAck(AckException error, ArrayNode args);
}

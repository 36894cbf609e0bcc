package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Receives one event from a client, on the socket's event loop. Binary attachments arrive as
 * {@link com.fasterxml.jackson.databind.node.BinaryNode}s at their place in the arguments. An exception thrown here
 * is logged with the socket id and event name and otherwise ignored; the client sees nothing of it.
 */
@FunctionalInterface
public interface EventListener {
    /**
     * @param ack the acknowledgement the client asked for, or null when it asked for none
     */
    void onEvent(SocketIoSocket socket, ArrayNode args, Ack ack);
}

package io.ticketchat.socketio;

import java.util.List;

/**
 * A packet serialized once for a broadcast: its Engine.IO messages (a String, then one byte array per binary
 * attachment), shared read-only by every recipient.
 */
public final class EncodedPacket {
    private final List<Object> messages;

    EncodedPacket(List<Object> messages) {
        this.messages = List.copyOf(messages);
    }

    /** Queues the packet for one socket; does nothing when the socket is no longer connected. Any thread. */
    public void deliverTo(SocketIoSocket socket) {
        socket.sendEncoded(messages);
    }
}

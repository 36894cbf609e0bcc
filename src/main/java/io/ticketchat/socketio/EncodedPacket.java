package io.ticketchat.socketio;

import io.ticketchat.engineio.SharedText;
import java.util.ArrayList;
import java.util.List;

/**
 * A packet serialized once for a broadcast: its Engine.IO messages (the text as {@link SharedText}, so its
 * WebSocket frame is encoded once too, then one byte array per binary attachment), shared read-only by every
 * recipient.
 */
public final class EncodedPacket {
    private final List<Object> messages;

    EncodedPacket(List<Object> messages) {
        List<Object> shared = new ArrayList<>(messages.size());
        for (Object message : messages) {
            shared.add(message instanceof String text ? new SharedText(text) : message);
        }
        this.messages = List.copyOf(shared);
    }

    /** Queues the packet for one socket; does nothing when the socket is no longer connected. Any thread. */
    public void deliverTo(SocketIoSocket socket) {
        socket.sendEncoded(messages);
    }
}

package io.ticketchat.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * A text message sent to many sessions, encoded once. A broadcast to a room of ten otherwise built the same
 * WebSocket frame payload ten times, each with its own string copy and UTF-8 encoding. Immutable and safe to
 * share between threads. {@link EngineIoSession#send} accepts it wherever it accepts a String.
 */
public final class SharedText {
    private final String text;
    private final byte[] webSocketPayload;

    /** Wraps {@code text}, one Engine.IO message without its packet type. */
    public SharedText(String text) {
        this.text = text;
        this.webSocketPayload = (PacketType.MESSAGE.wireChar() + text).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the message without its packet type. */
    public String text() {
        return text;
    }

    /** Returns a new buffer over the shared bytes of the encoded frame payload, the packet type first. */
    ByteBuf webSocketPayload() {
        return Unpooled.wrappedBuffer(webSocketPayload);
    }

    @Override
    public String toString() {
        return text;
    }
}

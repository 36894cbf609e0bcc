package io.ticketchat.engineio;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Encodes and decodes Engine.IO v4 packets and HTTP long-polling payloads.
 *
 * <p>A payload is a list of packets separated by the record separator {@code \u001e}; a binary message inside a
 * payload is {@code b} followed by its base64 form. Over WebSocket a binary message is a binary frame of its raw
 * bytes and every other packet is a text frame.
 */
final class EngineIoCodec {
    static final char SEPARATOR = '\u001e';

    private EngineIoCodec() {
    }

    /** Decodes one text packet, throwing {@link IllegalArgumentException} when its type is missing or unknown. */
    static EnginePacket decodeText(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty packet");
        }
        PacketType type = PacketType.fromWire(text.charAt(0));
        if (type == null) {
            throw new IllegalArgumentException("unknown packet type");
        }
        return new EnginePacket(type, text.length() > 1 ? text.substring(1) : null);
    }

    /** Decodes a polling payload, throwing {@link IllegalArgumentException} on any invalid packet. */
    static List<EnginePacket> decodePayload(String payload) {
        List<EnginePacket> packets = new ArrayList<>(2);
        int start = 0;
        while (start <= payload.length()) {
            int end = payload.indexOf(SEPARATOR, start);
            if (end < 0) {
                end = payload.length();
            }
            packets.add(decodePayloadPacket(payload.substring(start, end)));
            start = end + 1;
        }
        return packets;
    }

    private static EnginePacket decodePayloadPacket(String text) {
        if (!text.isEmpty() && text.charAt(0) == 'b') {
            // The MIME decoder skips line breaks: the official Java client ends its base64 with a newline.
            return EnginePacket.message(Base64.getMimeDecoder().decode(text.substring(1)));
        }
        return decodeText(text);
    }

    /** Encodes a packet as a text packet, with a binary message as {@code b} and base64 for polling payloads. */
    static String encodeForPayload(EnginePacket packet) {
        if (packet.data() instanceof byte[] bytes) {
            return "b" + Base64.getEncoder().encodeToString(bytes);
        }
        return encodeText(packet);
    }

    static String encodeText(EnginePacket packet) {
        return packet.data() == null
                ? String.valueOf(packet.type().wireChar())
                : packet.type().wireChar() + (String) packet.data();
    }
}

package io.ticketchat.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Encodes and decodes the text frames the bench client exchanges over one WebSocket: Engine.IO v4 packets
 * carrying Socket.IO v5 packets on the default namespace. Only what the benchmarks use is supported: open,
 * ping and pong, CONNECT with an auth object, events with an optional ack id, and acks. Binary packets are
 * refused. Stateless and thread-safe.
 */
final class BenchPacketCodec {
    /** Engine.IO packet types, by their digit on the wire. */
    static final char ENGINE_OPEN = '0';
    static final char ENGINE_CLOSE = '1';
    static final char ENGINE_PING = '2';
    static final char ENGINE_PONG = '3';
    static final char ENGINE_MESSAGE = '4';

    /** Socket.IO packet types, by their digit after the Engine.IO message digit. */
    static final char SOCKET_CONNECT = '0';
    static final char SOCKET_DISCONNECT = '1';
    static final char SOCKET_EVENT = '2';
    static final char SOCKET_ACK = '3';
    static final char SOCKET_CONNECT_ERROR = '4';

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMED_PREFIX = "\"content\":\"t=";

    private BenchPacketCodec() {
    }

    /** A decoded frame: the Engine.IO type, and for messages the Socket.IO type, ack id (or -1) and JSON data. */
    record Packet(char engineType, char socketType, long ackId, JsonNode data) {
        boolean isEvent(String name) {
            return socketType == SOCKET_EVENT && data != null && data.isArray() && data.size() > 0
                    && name.equals(data.get(0).asText());
        }
    }

    /** Encodes a Socket.IO CONNECT to the default namespace with {@code {token}} as the auth object. */
    static String connect(String token) {
        ObjectNode auth = JSON.createObjectNode().put("token", token);
        return "" + ENGINE_MESSAGE + SOCKET_CONNECT + auth;
    }

    /** Encodes the event {@code [name, payload]}, asking for an ack when {@code ackId >= 0}. */
    static String event(long ackId, String name, JsonNode payload) {
        ArrayNode array = JSON.createArrayNode().add(name).add(payload);
        StringBuilder frame = new StringBuilder(64).append(ENGINE_MESSAGE).append(SOCKET_EVENT);
        if (ackId >= 0) {
            frame.append(ackId);
        }
        return frame.append(array).toString();
    }

    /** Encodes the pong that replies to an Engine.IO ping. */
    static String pong() {
        return String.valueOf(ENGINE_PONG);
    }

    /**
     * Decodes one text frame.
     *
     * @throws IllegalArgumentException when the frame is empty, binary-encoded or its JSON is malformed
     */
    static Packet decode(String frame) {
        if (frame.isEmpty()) {
            throw new IllegalArgumentException("empty frame");
        }
        char engineType = frame.charAt(0);
        if (engineType != ENGINE_MESSAGE) {
            JsonNode data = frame.length() > 1 && engineType == ENGINE_OPEN ? parse(frame.substring(1)) : null;
            return new Packet(engineType, ' ', -1, data);
        }
        if (frame.length() < 2) {
            throw new IllegalArgumentException("message without a Socket.IO type");
        }
        char socketType = frame.charAt(1);
        if (socketType == '5' || socketType == '6') {
            throw new IllegalArgumentException("binary packets are not supported");
        }
        int index = 2;
        if (index < frame.length() && frame.charAt(index) == '/') {
            int comma = frame.indexOf(',', index);
            index = comma < 0 ? frame.length() : comma + 1;
        }
        long ackId = -1;
        int digitsStart = index;
        while (index < frame.length() && Character.isDigit(frame.charAt(index))) {
            index++;
        }
        if (index > digitsStart) {
            ackId = Long.parseLong(frame.substring(digitsStart, index));
        }
        JsonNode data = index < frame.length() ? parse(frame.substring(index)) : null;
        return new Packet(engineType, socketType, ackId, data);
    }

    /**
     * Reads the send time that {@link #timedContent} put into a {@code new_message} frame without parsing
     * the whole message, so a receiver holding thousands of sockets stays cheap.
     *
     * @return the nanoTime stamp, or -1 when the frame carries none
     */
    static long sentNanosOf(String frame) {
        int at = frame.indexOf(TIMED_PREFIX);
        if (at < 0) {
            return -1;
        }
        int start = at + TIMED_PREFIX.length();
        int end = start;
        while (end < frame.length() && (Character.isDigit(frame.charAt(end)) || frame.charAt(end) == '-')) {
            end++;
        }
        return end > start ? Long.parseLong(frame.substring(start, end)) : -1;
    }

    /** Message content that carries its send time, padded to {@code lengthChars} with plain text. */
    static String timedContent(long sentNanos, int lengthChars) {
        StringBuilder content = new StringBuilder(lengthChars).append("t=").append(sentNanos).append(' ');
        while (content.length() < lengthChars) {
            content.append("hello from the bench ");
        }
        content.setLength(Math.max(lengthChars, content.indexOf(" ") + 1));
        return content.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON in frame", e);
        }
    }
}

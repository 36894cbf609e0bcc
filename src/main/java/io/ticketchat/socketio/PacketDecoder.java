package io.ticketchat.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the Socket.IO packets of one connection: {@code <type>[<attachments>-][<namespace>,][<ack id>][<json>]},
 * then, for a binary packet, the announced number of binary messages.
 *
 * <p>Owned by one connection and used on its event loop only. Holds at most one binary packet under reconstruction,
 * whose attachment count is bounded by {@code maxAttachments}; each attachment is bounded by the Engine.IO maximum
 * payload. {@link #reset()} drops it.
 */
final class PacketDecoder {
    private static final int MAX_ACK_ID_DIGITS = 15;

    private final ObjectReader reader;
    private final int maxAttachments;

    private SocketPacket partial;
    private int expectedAttachments;
    private List<byte[]> attachments;

    /**
     * Creates a decoder that parses JSON with {@code reader}, which should come from {@link #jsonReader}. Pass
     * one shared reader, because each reader built from a mapper brings its own {@code DeserializationConfig}:
     * 160 bytes per connection together with the reader, in a class histogram on JDK 17.
     */
    PacketDecoder(ObjectReader reader, int maxAttachments) {
        this.reader = reader;
        this.maxAttachments = maxAttachments;
    }

    /** Returns the reader for packet JSON: the mapper's settings, plus rejecting trailing tokens. */
    static ObjectReader jsonReader(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Returns the decoded packet, or null when it waits for binary attachments. */
    SocketPacket decodeText(String text) throws InvalidPacketException {
        if (partial != null) {
            throw new InvalidPacketException("text message while binary attachments were expected");
        }
        if (text.isEmpty() || text.charAt(0) < '0' || text.charAt(0) > '6') {
            throw new InvalidPacketException("unknown packet type");
        }
        SocketPacketType type = SocketPacketType.values()[text.charAt(0) - '0'];
        int i = 1;
        int attachmentCount = 0;
        if (type.isBinary()) {
            int dash = text.indexOf('-', i);
            if (dash <= i || dash - i > 3) {
                throw new InvalidPacketException("invalid attachment count");
            }
            attachmentCount = parseDigits(text, i, dash);
            if (attachmentCount > maxAttachments) {
                throw InvalidPacketException.tooManyAttachments(attachmentCount, maxAttachments);
            }
            i = dash + 1;
        }

        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : comma + 1;
        }

        int digitsStart = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i - digitsStart > MAX_ACK_ID_DIGITS) {
            throw new InvalidPacketException("invalid ack id");
        }
        long ackId = i > digitsStart ? Long.parseLong(text, digitsStart, i, 10) : -1;

        JsonNode data = i < text.length() ? parseJson(text.substring(i)) : null;
        SocketPacket packet = new SocketPacket(type, namespace, ackId, data);
        validate(packet);
        if (attachmentCount == 0) {
            return packet;
        }
        partial = packet;
        expectedAttachments = attachmentCount;
        attachments = new ArrayList<>(attachmentCount);
        return null;
    }

    /** Returns the completed binary packet, or null when it waits for more attachments. */
    SocketPacket decodeBinary(byte[] data) throws InvalidPacketException {
        if (partial == null) {
            throw new InvalidPacketException("binary message without a binary packet");
        }
        attachments.add(data);
        if (attachments.size() < expectedAttachments) {
            return null;
        }
        SocketPacket packet = partial;
        List<byte[]> buffers = attachments;
        reset();
        JsonNode filled = fillPlaceholders(packet.data(), buffers);
        return new SocketPacket(packet.type(), packet.namespace(), packet.ackId(), filled);
    }

    void reset() {
        partial = null;
        attachments = null;
        expectedAttachments = 0;
    }

    private JsonNode parseJson(String json) throws InvalidPacketException {
        try {
            return reader.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidPacketException("invalid JSON payload");
        }
    }

    private static int parseDigits(String text, int from, int to) throws InvalidPacketException {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidPacketException("invalid attachment count");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void validate(SocketPacket packet) throws InvalidPacketException {
        JsonNode data = packet.data();
        boolean valid = switch (packet.type()) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case EVENT, BINARY_EVENT -> data != null && data.isArray() && !data.isEmpty()
                    && (data.get(0).isTextual() || data.get(0).isNumber());
            case ACK, BINARY_ACK -> data != null && data.isArray() && packet.ackId() >= 0;
            case CONNECT_ERROR -> false;
        };
        if (!valid) {
            throw new InvalidPacketException("invalid payload for " + packet.type());
        }
    }

    private static JsonNode fillPlaceholders(JsonNode node, List<byte[]> buffers) throws InvalidPacketException {
        if (node instanceof ObjectNode object) {
            if (object.path("_placeholder").asBoolean(false)) {
                JsonNode num = object.get("num");
                if (num == null || !num.canConvertToInt() || num.asInt() < 0 || num.asInt() >= buffers.size()) {
                    throw new InvalidPacketException("invalid attachment placeholder");
                }
                return BinaryNode.valueOf(buffers.get(num.asInt()));
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                field.setValue(fillPlaceholders(field.getValue(), buffers));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, fillPlaceholders(array.get(i), buffers));
            }
        }
        return node;
    }
}

package io.ticketchat.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes Socket.IO packets into Engine.IO messages: one text message, followed by one binary message per byte
 * array or {@link BinaryNode} found in the payload, which the text carries as {@code {"_placeholder":true,"num":N}}.
 * Stateless and safe from any thread.
 */
final class PacketEncoder {
    private final ObjectMapper mapper;

    PacketEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Builds the argument array of an event or acknowledgement; {@code event} is null for an acknowledgement. */
    ArrayNode arguments(String event, Object[] args) {
        ArrayNode array = mapper.createArrayNode();
        if (event != null) {
            array.add(event);
        }
        for (Object arg : args == null ? new Object[0] : args) {
            if (arg == null) {
                array.addNull();
            } else if (arg instanceof JsonNode node) {
                array.add(node);
            } else {
                array.add((JsonNode) mapper.valueToTree(arg));
            }
        }
        return array;
    }

    /**
     * Returns the Engine.IO messages of a packet. An EVENT or ACK whose data contains binary values goes out as
     * BINARY_EVENT or BINARY_ACK.
     *
     * @param ackId the acknowledgement id, or -1 for none
     */
    List<Object> encode(SocketPacketType type, String namespace, long ackId, JsonNode data) {
        List<byte[]> buffers = new ArrayList<>(0);
        JsonNode payload = data;
        if (data != null && containsBinary(data)) {
            payload = replaceBinary(data.deepCopy(), buffers);
            type = type == SocketPacketType.EVENT ? SocketPacketType.BINARY_EVENT
                    : type == SocketPacketType.ACK ? SocketPacketType.BINARY_ACK : type;
        }

        StringBuilder text = new StringBuilder(64).append(type.wireChar());
        if (type.isBinary()) {
            text.append(buffers.size()).append('-');
        }
        if (!"/".equals(namespace)) {
            text.append(namespace).append(',');
        }
        if (ackId >= 0) {
            text.append(ackId);
        }
        if (payload != null) {
            try {
                text.append(mapper.writeValueAsString(payload));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<Object> messages = new ArrayList<>(1 + buffers.size());
        messages.add(text.toString());
        messages.addAll(buffers);
        return messages;
    }

    private static boolean containsBinary(JsonNode node) {
        if (node.isBinary()) {
            return true;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (containsBinary(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode replaceBinary(JsonNode node, List<byte[]> buffers) {
        if (node instanceof BinaryNode binary) {
            ObjectNode placeholder = mapper.createObjectNode();
            placeholder.put("_placeholder", true);
            placeholder.put("num", buffers.size());
            buffers.add(binary.binaryValue());
            return placeholder;
        }
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                field.setValue(replaceBinary(field.getValue(), buffers));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, replaceBinary(array.get(i), buffers));
            }
        }
        return node;
    }
}

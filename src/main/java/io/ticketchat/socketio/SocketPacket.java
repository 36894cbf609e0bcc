package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One decoded Socket.IO packet, with its binary attachments already put back in place of their placeholders.
 *
 * @param namespace the namespace name, {@code /} when the packet named none
 * @param ackId the acknowledgement id, or -1 when the packet carries none
 * @param data the JSON payload, or null when the packet has none
 */
record SocketPacket(SocketPacketType type, String namespace, long ackId, JsonNode data) {
}

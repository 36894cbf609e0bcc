package io.ticketchat.engineio;

/**
 * One decoded Engine.IO packet: its type and its data, which is a String for text packets, a byte array for
 * binary messages, or null when the packet carries nothing.
 */
record EnginePacket(PacketType type, Object data) {
    static final EnginePacket PING = new EnginePacket(PacketType.PING, null);
    static final EnginePacket NOOP = new EnginePacket(PacketType.NOOP, null);
    static final EnginePacket CLOSE = new EnginePacket(PacketType.CLOSE, null);

    static EnginePacket message(Object data) {
        return new EnginePacket(PacketType.MESSAGE, data);
    }
}

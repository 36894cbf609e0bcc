package io.ticketchat.engineio;

/** Engine.IO v4 packet types, each sent as its digit at the start of a text packet. */
enum PacketType {
    OPEN('0'),
    CLOSE('1'),
    PING('2'),
    PONG('3'),
    MESSAGE('4'),
    UPGRADE('5'),
    NOOP('6');

    private final char wireChar;

    PacketType(char wireChar) {
        this.wireChar = wireChar;
    }

    char wireChar() {
        return wireChar;
    }

    /** Returns the type for a wire digit, or null when the digit names no packet type. */
    static PacketType fromWire(char c) {
        int index = c - '0';
        PacketType[] all = values();
        return index >= 0 && index < all.length ? all[index] : null;
    }
}

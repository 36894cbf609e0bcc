package io.ticketchat.socketio;

/** Socket.IO v5 packet types, each sent as its digit at the start of an Engine.IO message. */
enum SocketPacketType {
    CONNECT,
    DISCONNECT,
    EVENT,
    ACK,
    CONNECT_ERROR,
    BINARY_EVENT,
    BINARY_ACK;

    char wireChar() {
        return (char) ('0' + ordinal());
    }

    boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }
}

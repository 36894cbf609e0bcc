package io.ticketchat.socketio;

/**
 * Reasons passed to {@link SocketIoSocket#onDisconnect}, with the names the reference server uses, so logs and
 * clients that compare them keep working.
 */
enum DisconnectReason {
    /** The client sent DISCONNECT for the namespace. */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The server called {@link SocketIoSocket#disconnect}. */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The server is shutting down. */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The client sent something that is not a valid Socket.IO packet, so its connection was closed. */
    PARSE_ERROR("parse error");

    private final String wireName;

    DisconnectReason(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}

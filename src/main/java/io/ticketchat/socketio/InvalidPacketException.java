package io.ticketchat.socketio;

/** A client message that is not a valid Socket.IO packet; the connection that sent it is closed. No stack trace. */
final class InvalidPacketException extends Exception {
    InvalidPacketException(String message) {
        super(message, null, false, false);
    }
}

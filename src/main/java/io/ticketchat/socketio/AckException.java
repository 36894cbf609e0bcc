package io.ticketchat.socketio;

/** The reason an acknowledgement requested by the server never arrived, without a stack trace. */
public final class AckException extends Exception {
    AckException(String message) {
        super(message, null, false, false);
    }
}

package io.ticketchat.socketio;

/** Why an acknowledgement requested by the server never arrived; carries no stack trace. */
public final class AckException extends Exception {
    AckException(String message) {
        super(message, null, false, false);
    }
}

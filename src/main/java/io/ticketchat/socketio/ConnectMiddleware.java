package io.ticketchat.socketio;

/**
 * Decides whether a client may connect to a namespace, before the socket exists. Middlewares of a namespace run in
 * the order they were added; each runs only after the previous one accepted.
 */
@FunctionalInterface
public interface ConnectMiddleware {
    /** Asynchronous: call exactly one of callback.accept() / callback.reject(message, data) from any thread. */
    void authorize(Handshake handshake, ConnectCallback callback);
}

package io.ticketchat.socketio;

/**
 * The outcome of one {@link ConnectMiddleware}. Only the first call counts; later ones are ignored. Safe from any
 * thread.
 */
public interface ConnectCallback {
    /**
     * Lets the connection go on to the next middleware. A non-null attachment becomes the socket's
     * {@link SocketIoSocket#attachment()}; a later middleware's non-null attachment replaces an earlier one.
     */
    void accept(Object attachment);

    /**
     * Refuses the connection: the client receives CONNECT_ERROR {@code {"message": message, "data": data}} (its
     * {@code connect_error} event), without {@code data} when it is null. When the client has no other namespace
     * connected, its Engine.IO session is closed right after, so a refused client holds nothing on the server.
     */
    void reject(String message, Object data);
}

package io.ticketchat.socketio;

/**
 * The acknowledgement a client asked for with an event. Arguments are serialized by Jackson, byte arrays become
 * binary attachments. Safe from any thread.
 */
public interface Ack {
    /** Sends the acknowledgement; the first call wins, later calls are ignored. */
    void send(Object... args);
}

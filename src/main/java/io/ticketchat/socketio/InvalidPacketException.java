package io.ticketchat.socketio;

/** A client message that is not a valid Socket.IO packet; the connection that sent it is closed. No stack trace. */
final class InvalidPacketException extends Exception {
    private final boolean tooManyAttachments;

    InvalidPacketException(String message) {
        this(message, false);
    }

    private InvalidPacketException(String message, boolean tooManyAttachments) {
        super(message, null, false, false);
        this.tooManyAttachments = tooManyAttachments;
    }

    /** Returns the exception for a binary packet that announces more attachments than the server accepts. */
    static InvalidPacketException tooManyAttachments(int announced, int max) {
        return new InvalidPacketException("too many attachments: " + announced + ", max " + max, true);
    }

    /** Returns whether the packet broke the attachment limit rather than the protocol's syntax. */
    boolean isTooManyAttachments() {
        return tooManyAttachments;
    }
}

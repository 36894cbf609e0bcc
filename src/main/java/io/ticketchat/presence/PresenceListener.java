package io.ticketchat.presence;

/** Receives presence changes to store and broadcast. Called under the tracker's lock, so it must not block. */
public interface PresenceListener {
    /** The user's first connection after being offline opened; the status is the one they chose. */
    void online(PresenceChange change);

    /** The grace period after the user's last connection ended; {@code at} is when that connection closed. */
    void offline(PresenceChange change);

    /** A present user chose a different status. */
    void statusChosen(PresenceChange change);
}

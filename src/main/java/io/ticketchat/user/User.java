package io.ticketchat.user;

import java.time.Instant;

/**
 * A user as stored.
 *
 * @param id random, unguessable id; for a user created from a host application's token, its {@code sub}
 * @param email address as the user gave it; null when a host application's token had none
 * @param status presence the user chose: {@code online} (the default), {@code away} or {@code busy}
 * @param lastSeenAt when the user's last connection closed; null when never recorded
 */
public record User(
        String id,
        String email,
        String name,
        Role role,
        Instant createdAt,
        String status,
        Instant lastSeenAt) {
    /** The presence status a user has until they choose another. */
    public static final String DEFAULT_STATUS = "online";
}

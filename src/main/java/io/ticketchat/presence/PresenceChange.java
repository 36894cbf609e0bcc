package io.ticketchat.presence;

import java.time.Instant;

/**
 * One announced change of a staff user's presence.
 *
 * @param at when it happened; for {@link PresenceStatus#OFFLINE}, the moment the user's last connection closed
 */
public record PresenceChange(String userId, String userName, PresenceStatus status, Instant at) {
}

package io.ticketchat.user;

/**
 * A user with their BCrypt password hash, as read for a login. Never log or serialise it.
 *
 * @param passwordHash null for a user who only signs in with a host application's token
 */
public record StoredCredentials(User user, String passwordHash) {
    @Override
    public String toString() {
        return "StoredCredentials[user=" + user.id() + "]";
    }
}

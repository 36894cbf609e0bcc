package io.ticketchat.auth;

import io.ticketchat.user.User;

/** A signed-in user and the JWT issued for them, the body of a register or login response. */
public record AuthResult(String token, User user) {
    @Override
    public String toString() {
        return "AuthResult[user=" + user.id() + "]";
    }
}

package io.ticketchat.auth;

import io.ticketchat.user.Role;
import java.time.Instant;

/**
 * The verified claims of a JWT.
 *
 * @param userId the {@code sub} claim
 * @param name the {@code name} claim; null when the token has none
 * @param email the {@code email} claim; null when the token has none
 * @param expiresAt the {@code exp} claim; a connection must close at this instant
 */
public record TokenClaims(String userId, Role role, String name, String email, Instant expiresAt) {
}

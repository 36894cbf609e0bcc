package io.ticketchat.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.ticketchat.error.ApiException;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Issues and verifies HS256 JWTs with the claims {@code sub}, {@code role}, {@code name}, {@code email} and
 * {@code exp}. Host applications that share the secret may issue tokens too. Immutable and thread-safe.
 */
public final class JwtService {
    /** Minimum secret length: HS256 keys shorter than the 256-bit hash output weaken the signature. */
    public static final int MIN_SECRET_BYTES = 32;

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration tokenTtl;
    private final Clock clock;

    /**
     * @param secret signing secret, at least {@link #MIN_SECRET_BYTES} bytes in UTF-8
     * @param tokenTtl lifetime of issued tokens
     */
    public JwtService(String secret, Duration tokenTtl) {
        this(secret, tokenTtl, Clock.systemUTC());
    }

    JwtService(String secret, Duration tokenTtl, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("token TTL must be positive, got " + tokenTtl);
        }
        this.algorithm = Algorithm.HMAC256(secret);
        // The library reads exp in whole seconds, cutting a fractional exp down. A second of leeway lets verify()
        // compare the exact value itself.
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm).acceptExpiresAt(1)).build(clock);
        this.tokenTtl = tokenTtl;
        this.clock = clock;
    }

    /** Issues a token for {@code user} that expires after the configured lifetime. */
    public String issue(User user) {
        Instant now = clock.instant();
        return JWT.create()
                .withSubject(user.id())
                .withClaim("role", user.role().wireName())
                .withClaim("name", user.name())
                .withClaim("email", user.email())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(tokenTtl))
                .sign(algorithm);
    }

    /**
     * Verifies the signature and expiry of {@code token} and returns its claims.
     *
     * @throws ApiException {@code unauthorized} when the token is null, malformed, signed with another key or
     *     algorithm, expired, without {@code sub} or {@code exp}, or names an unknown role
     */
    public TokenClaims verify(String token) {
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized();
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw ApiException.unauthorized();
        }

        String subject = jwt.getSubject();
        Instant expiresAt = exactExpiry(jwt);
        Optional<Role> role = Role.fromWire(stringClaim(jwt, "role"));
        if (subject == null || subject.isBlank() || expiresAt == null || role.isEmpty()
                || !clock.instant().isBefore(expiresAt)) {
            throw ApiException.unauthorized();
        }
        return new TokenClaims(subject, role.get(), stringClaim(jwt, "name"), stringClaim(jwt, "email"), expiresAt);
    }

    /** Returns {@code exp} with its fraction of a second, or null when it is missing or out of range. */
    private static Instant exactExpiry(DecodedJWT jwt) {
        Double seconds = jwt.getClaim("exp").asDouble();
        if (seconds == null || !Double.isFinite(seconds) || Math.abs(seconds) > Instant.MAX.getEpochSecond()) {
            return null;
        }
        long whole = (long) Math.floor(seconds);
        long nanos = Math.min(999_999_999L, Math.round((seconds - whole) * 1_000_000_000L));
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static String stringClaim(DecodedJWT jwt, String name) {
        Claim claim = jwt.getClaim(name);
        return claim.isMissing() || claim.isNull() ? null : claim.asString();
    }
}

package io.ticketchat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JwtServiceTest {
    static final String SECRET = "test-secret-that-is-long-enough-for-hs256";
    private final JwtService jwt = new JwtService(SECRET, Duration.ofHours(1));
    private final User user = new User("u-1", "ada@example.com", "Ada", Role.AGENT, Instant.now(), "online", null);

    private static String token(String secret, String role, Instant expiresAt) {
        var builder = JWT.create().withSubject("u-1").withClaim("name", "Ada").withClaim("role", role);
        if (expiresAt != null) {
            builder.withExpiresAt(expiresAt);
        }
        return builder.sign(Algorithm.HMAC256(secret));
    }

    /** Signs a token whose exp is {@code epochSeconds} as written, fraction included. */
    private static String tokenExpiringAt(double epochSeconds) {
        return JWT.create().withSubject("u-1").withClaim("role", "agent").withClaim("exp", epochSeconds)
                .sign(Algorithm.HMAC256(SECRET));
    }

    private ErrorCode verifyError(String token) {
        return catchThrowableOfType(ApiException.class, () -> jwt.verify(token)).code();
    }

    @Test
    void issuedTokenVerifiesWithAllClaims() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        TokenClaims claims = jwt.verify(jwt.issue(user));

        assertThat(claims.userId()).isEqualTo("u-1");
        assertThat(claims.role()).isEqualTo(Role.AGENT);
        assertThat(claims.name()).isEqualTo("Ada");
        assertThat(claims.email()).isEqualTo("ada@example.com");
        assertThat(claims.expiresAt()).isBetween(before.plus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void expiredTokenIsUnauthorized() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String expired = new JwtService(SECRET, Duration.ofHours(1), past).issue(user);

        assertThat(verifyError(expired)).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void fractionalExpiryIsKeptExactly() {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");
        JwtService atNow = new JwtService(SECRET, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));

        TokenClaims valid = atNow.verify(tokenExpiringAt(now.getEpochSecond() + 0.5));
        ErrorCode expired = catchThrowableOfType(ApiException.class,
                () -> atNow.verify(tokenExpiringAt(now.getEpochSecond() - 0.4))).code();

        assertThat(valid.expiresAt()).isEqualTo(now.plusMillis(500));
        assertThat(expired).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void tokenExpiringNowIsUnauthorized() {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");
        JwtService atNow = new JwtService(SECRET, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));

        ErrorCode code = catchThrowableOfType(ApiException.class,
                () -> atNow.verify(tokenExpiringAt(now.getEpochSecond()))).code();

        assertThat(code).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void wrongSignatureIsUnauthorized() {
        String forged = token("another-secret-that-is-long-enough-too", "admin", Instant.now().plusSeconds(60));

        assertThat(verifyError(forged)).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void unsignedTokenIsUnauthorized() {
        String none = JWT.create().withSubject("u-1").withClaim("role", "admin")
                .withExpiresAt(Instant.now().plusSeconds(60)).sign(Algorithm.none());

        assertThat(verifyError(none)).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void unknownRoleIsUnauthorized() {
        assertThat(verifyError(token(SECRET, "superuser", Instant.now().plusSeconds(60))))
                .isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void tokenWithoutExpiryIsUnauthorized() {
        assertThat(verifyError(token(SECRET, "agent", null))).isEqualTo(ErrorCode.UNAUTHORIZED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.", "Bearer x"})
    void missingOrMalformedTokenIsUnauthorized(String token) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> jwt.verify(token));

        assertThat(error.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(error.clientMessage()).isEqualTo("unauthorized");
    }

    @Test
    void rejectsShortSecret() {
        assertThatThrownBy(() -> new JwtService("short", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.ticketchat.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Hashes and checks passwords with BCrypt.
 *
 * <p>Uses the static {@link BCrypt} class of spring-security-crypto, not {@code BCryptPasswordEncoder}, because
 * the encoder logs through commons-logging, which this server does not ship. BCrypt reads at most 72 bytes of a
 * password, so callers reject longer ones instead of letting two passwords share a hash.
 */
public final class PasswordHasher {
    /** BCrypt cost factor: 2^10 rounds, about 50 to 100 ms per hash on a current server core (an estimate). */
    public static final int DEFAULT_LOG_ROUNDS = 10;
    /** Maximum password length in UTF-8 bytes that BCrypt reads. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final int logRounds;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;

    public PasswordHasher() {
        this(DEFAULT_LOG_ROUNDS);
    }

    /** @param logRounds BCrypt cost, 4 to 31; tests use 4 to stay fast */
    public PasswordHasher(int logRounds) {
        this.logRounds = logRounds;
        this.dummyHash = hash("placeholder-password-for-timing");
    }

    public String hash(String password) {
        return BCrypt.hashpw(password.getBytes(StandardCharsets.UTF_8), BCrypt.gensalt(logRounds, random));
    }

    /** Returns whether {@code password} matches {@code hash}; false for a null or malformed hash. */
    public boolean matches(String password, String hash) {
        if (hash == null) {
            // Spend the same time as a real check so a login cannot tell whether the account exists.
            BCrypt.checkpw(password.getBytes(StandardCharsets.UTF_8), dummyHash);
            return false;
        }
        try {
            return BCrypt.checkpw(password.getBytes(StandardCharsets.UTF_8), hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

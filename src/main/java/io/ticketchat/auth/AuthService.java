package io.ticketchat.auth;

import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.text.UnicodeText;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import io.ticketchat.user.UserStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts and sign-in: registration, password login, token authentication and staff accounts.
 *
 * <p>Every method blocks on the database (and on BCrypt), so callers run it on the database executor.
 * Thread-safe. Passwords and tokens are never logged.
 */
public final class AuthService {
    /** Minimum password length in Unicode code points. */
    public static final int MIN_PASSWORD_CODE_POINTS = 8;
    /** Maximum name length in Unicode code points. */
    public static final int MAX_NAME_CODE_POINTS = 100;
    /** Maximum email length in chars (the SMTP path limit). */
    public static final int MAX_EMAIL_CHARS = 254;
    /** Maximum length of a token's {@code sub} that can become a user id. */
    public static final int MAX_USER_ID_CHARS = 128;

    private static final Logger log = LoggerFactory.getLogger(AuthService.class);
    private static final Pattern EMAIL_SHAPE = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final String LOGIN_FAILED = "Invalid email or password";

    private final UserStore users;
    private final JwtService jwt;
    private final PasswordHasher hasher;
    private final Clock clock;

    public AuthService(UserStore users, JwtService jwt, PasswordHasher hasher) {
        this(users, jwt, hasher, Clock.systemUTC());
    }

    public AuthService(UserStore users, JwtService jwt, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.jwt = jwt;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Creates a customer account and signs it in.
     *
     * @throws ApiException {@code invalid_request} for a malformed email, a password shorter than 8 code points
     *     or longer than 72 UTF-8 bytes, or a name outside 1..100 code points; {@code conflict} when the email
     *     is already registered, ignoring case
     */
    public AuthResult register(String email, String password, String name) {
        User user = createAccount(email, password, name, Role.CUSTOMER);
        log.debug("customer registered user={}", user.id());
        return new AuthResult(jwt.issue(user), user);
    }

    /**
     * Signs in with email and password.
     *
     * @throws ApiException {@code unauthorized} with the same message for an unknown email and a wrong password
     */
    public AuthResult login(String email, String password) {
        if (email == null || password == null || password.getBytes(StandardCharsets.UTF_8).length
                > PasswordHasher.MAX_PASSWORD_BYTES) {
            throw new ApiException(ErrorCode.UNAUTHORIZED, LOGIN_FAILED);
        }
        var credentials = users.findCredentialsByEmail(email);
        String hash = credentials.map(found -> found.passwordHash()).orElse(null);
        if (!hasher.matches(password, hash) || credentials.isEmpty()) {
            log.debug("login rejected");
            throw new ApiException(ErrorCode.UNAUTHORIZED, LOGIN_FAILED);
        }
        User user = credentials.get().user();
        return new AuthResult(jwt.issue(user), user);
    }

    /**
     * Verifies {@code token} and returns its user. A {@code sub} not seen before creates the user from the
     * claims; a later token with another name or role updates the stored user.
     *
     * @throws ApiException {@code unauthorized} for a missing, malformed, wrongly signed or expired token
     */
    public User authenticate(String token) {
        TokenClaims claims = jwt.verify(token);
        if (claims.userId().length() > MAX_USER_ID_CHARS) {
            throw ApiException.unauthorized();
        }
        Optional<User> stored = users.findById(claims.userId());
        if (stored.isEmpty()) {
            return createFromClaims(claims);
        }

        User user = stored.get();
        String name = claims.name() == null ? user.name() : cleanName(claims.name(), user.name());
        if (name.equals(user.name()) && claims.role() == user.role()) {
            return user;
        }
        users.updateProfile(user.id(), name, claims.role());
        log.debug("user profile refreshed from token user={}", user.id());
        return new User(user.id(), user.email(), name, claims.role(), user.createdAt(), user.status(),
                user.lastSeenAt());
    }

    /**
     * Creates an agent, manager or admin account.
     *
     * @throws ApiException {@code forbidden} unless {@code admin} is an admin; {@code invalid_request} for a
     *     role that is not staff or invalid fields as in {@link #register}; {@code conflict} for a taken email
     */
    public User createStaff(User admin, String email, String password, String name, Role role) {
        if (admin == null || admin.role() != Role.ADMIN) {
            throw ApiException.forbidden("Only admins can create staff accounts");
        }
        if (role == null || !role.isStaff()) {
            throw ApiException.invalid("role must be agent, manager or admin");
        }
        User user = createAccount(email, password, name, role);
        log.info("staff account created user={} role={} by={}", user.id(), role.wireName(), admin.id());
        return user;
    }

    /**
     * Returns the account registered with {@code email}, creating it with {@code role} when there is none.
     * For trusted server-side set-up such as demo data: no permission check is made.
     */
    public User ensureAccount(String email, String password, String name, Role role) {
        Optional<User> existing = users.findCredentialsByEmail(email).map(found -> found.user());
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return createAccount(email, password, name, role);
        } catch (ApiException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            // Another node created it between the lookup and the insert.
            return users.findCredentialsByEmail(email).orElseThrow().user();
        }
    }

    private User createAccount(String email, String password, String name, Role role) {
        String cleanEmail = validateEmail(email);
        validatePassword(password);
        String cleanName = validateName(name);

        User user = new User(UUID.randomUUID().toString(), cleanEmail, cleanName, role, now(),
                User.DEFAULT_STATUS, null);
        if (!users.insert(user, hasher.hash(password))) {
            throw ApiException.conflict("Email is already registered");
        }
        return user;
    }

    private User createFromClaims(TokenClaims claims) {
        // Never fall back to the email: the name goes out in broadcasts, which must not carry an email address.
        String fallbackName = "User " + claims.userId();
        String name = claims.name() == null ? cleanName(fallbackName, "User") : cleanName(claims.name(), "User");
        String email = claims.email() != null && isEmailShape(claims.email().trim()) ? claims.email().trim() : null;
        User user = new User(claims.userId(), email, name, claims.role(), now(), User.DEFAULT_STATUS,
                null);

        if (users.insert(user, null)) {
            log.debug("user created from token user={} role={}", user.id(), user.role().wireName());
            return user;
        }
        Optional<User> raced = users.findById(user.id());
        if (raced.isPresent()) {
            return raced.get();
        }
        // The email belongs to another account: keep the address for display but do not claim it.
        users.insertWithoutEmailKey(user);
        return users.findById(user.id()).orElseThrow();
    }

    /** Returns the current time in whole milliseconds, the precision the store keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String validateEmail(String email) {
        String trimmed = email == null ? "" : email.trim();
        if (trimmed.length() > MAX_EMAIL_CHARS || !isEmailShape(trimmed)) {
            throw ApiException.invalid("email must be a valid email address");
        }
        return trimmed;
    }

    private static boolean isEmailShape(String email) {
        return email.length() <= MAX_EMAIL_CHARS && EMAIL_SHAPE.matcher(email).matches();
    }

    private static void validatePassword(String password) {
        if (password == null || !UnicodeText.isStorable(password)
                || password.codePointCount(0, password.length()) < MIN_PASSWORD_CODE_POINTS) {
            throw ApiException.invalid("password must be at least " + MIN_PASSWORD_CODE_POINTS + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            throw ApiException.invalid(
                    "password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
    }

    private static String validateName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || !UnicodeText.isStorable(stripped)
                || !UnicodeText.fitsCodePoints(stripped, MAX_NAME_CODE_POINTS)) {
            throw ApiException.invalid("name must be 1 to " + MAX_NAME_CODE_POINTS + " characters");
        }
        return stripped;
    }

    /** Returns a storable name of at most 100 code points made from a token claim, or {@code fallback}. */
    private static String cleanName(String claimed, String fallback) {
        String stripped = claimed.strip();
        if (stripped.isEmpty() || !UnicodeText.isStorable(stripped)) {
            return Objects.requireNonNull(fallback);
        }
        if (UnicodeText.fitsCodePoints(stripped, MAX_NAME_CODE_POINTS)) {
            return stripped;
        }
        return stripped.substring(0, stripped.offsetByCodePoints(0, MAX_NAME_CODE_POINTS));
    }
}

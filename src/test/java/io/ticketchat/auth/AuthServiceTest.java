package io.ticketchat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.testing.TestDatabase;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import io.ticketchat.user.UserStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
class AuthServiceTest {
    private static final String PASSWORD = "correct horse battery";

    @Parameter
    String backend;

    @TempDir
    Path tempDir;

    private TestDatabase db;
    private UserStore users;
    private AuthService auth;

    @BeforeEach
    void setUp() {
        db = TestDatabase.open(backend, tempDir);
        users = new UserStore(db.database());
        JwtService jwt = new JwtService(JwtServiceTest.SECRET, Duration.ofHours(1));
        auth = new AuthService(users, jwt, new PasswordHasher(4));
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private static ErrorCode errorOf(Runnable call) {
        return catchThrowableOfType(ApiException.class, call::run).code();
    }

    private static String hostToken(String sub, String role, String name, String email) {
        return JWT.create().withSubject(sub).withClaim("role", role).withClaim("name", name)
                .withClaim("email", email).withExpiresAt(Instant.now().plusSeconds(600))
                .sign(Algorithm.HMAC256(JwtServiceTest.SECRET));
    }

    @Nested
    class Register {
        @Test
        void createsCustomerAndSignsIn() {
            AuthResult result = auth.register(" Cora@Example.com ", PASSWORD, " Cora ");

            assertThat(result.user().role()).isEqualTo(Role.CUSTOMER);
            assertThat(result.user().email()).isEqualTo("Cora@Example.com");
            assertThat(result.user().name()).isEqualTo("Cora");
            assertThat(result.user().status()).isEqualTo("online");
            assertThat(auth.authenticate(result.token())).isEqualTo(result.user());
        }

        @Test
        void sameEmailInOtherCaseIsConflict() {
            auth.register("cora@example.com", PASSWORD, "Cora");

            assertThat(errorOf(() -> auth.register("CORA@example.COM", PASSWORD, "Cora 2")))
                    .isEqualTo(ErrorCode.CONFLICT);
        }

        @Test
        void invalidFieldsAreInvalidRequest() {
            assertThat(errorOf(() -> auth.register("no-at-sign", PASSWORD, "A"))).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(errorOf(() -> auth.register("a@b", PASSWORD, "A"))).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(errorOf(() -> auth.register(null, PASSWORD, "A"))).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(errorOf(() -> auth.register("a@example.com", "short", "A")))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(errorOf(() -> auth.register("a@example.com", "\u00E9".repeat(37), "A")))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(errorOf(() -> auth.register("a@example.com", PASSWORD, "  ")))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(errorOf(() -> auth.register("a@example.com", PASSWORD, "n".repeat(101))))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void acceptsPasswordOfExactly72Bytes() {
            AuthResult result = auth.register("long@example.com", "\u00E9".repeat(36), "Long");

            assertThat(auth.login("long@example.com", "\u00E9".repeat(36)).user()).isEqualTo(result.user());
        }
    }

    @Nested
    class Login {
        @Test
        void signsInIgnoringEmailCase() {
            User registered = auth.register("cora@example.com", PASSWORD, "Cora").user();

            AuthResult result = auth.login("CORA@example.com", PASSWORD);

            assertThat(result.user()).isEqualTo(registered);
            assertThat(auth.authenticate(result.token()).id()).isEqualTo(registered.id());
        }

        @Test
        void wrongPasswordAndUnknownEmailLookAlike() {
            auth.register("cora@example.com", PASSWORD, "Cora");

            ApiException wrong = catchThrowableOfType(ApiException.class,
                    () -> auth.login("cora@example.com", "wrong password"));
            ApiException unknown = catchThrowableOfType(ApiException.class,
                    () -> auth.login("nobody@example.com", PASSWORD));

            assertThat(wrong.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(unknown.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(wrong.clientMessage()).isEqualTo(unknown.clientMessage());
        }

        @Test
        void tokenOnlyUserCannotLogInWithPassword() {
            auth.authenticate(hostToken("host-1", "customer", "Hosted", "hosted@example.com"));

            assertThat(errorOf(() -> auth.login("hosted@example.com", PASSWORD))).isEqualTo(ErrorCode.UNAUTHORIZED);
        }

        @Test
        void neverLogsPasswordsOrTokens() {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            root.addAppender(appender);
            try {
                String token = auth.register("cora@example.com", PASSWORD, "Cora").token();
                auth.login("cora@example.com", PASSWORD);
                catchThrowableOfType(ApiException.class, () -> auth.login("cora@example.com", "bad password 1"));
                auth.authenticate(token);

                assertThat(appender.list).allSatisfy(event -> {
                    assertThat(event.getFormattedMessage()).doesNotContain(PASSWORD, "bad password 1", token);
                });
            } finally {
                root.detachAppender(appender);
            }
        }
    }

    @Nested
    class Authenticate {
        @Test
        void createsUnknownSubjectFromClaims() {
            User user = auth.authenticate(hostToken("host-42", "agent", "Hosted Agent", "agent@host.example.com"));

            assertThat(user.id()).isEqualTo("host-42");
            assertThat(user.role()).isEqualTo(Role.AGENT);
            assertThat(user.name()).isEqualTo("Hosted Agent");
            assertThat(users.findById("host-42")).contains(user);
        }

        @Test
        void laterTokenRefreshesNameAndRole() {
            auth.authenticate(hostToken("host-42", "customer", "Old Name", "x@host.example.com"));

            User refreshed = auth.authenticate(hostToken("host-42", "manager", "New Name", "x@host.example.com"));

            assertThat(refreshed.name()).isEqualTo("New Name");
            assertThat(refreshed.role()).isEqualTo(Role.MANAGER);
            assertThat(users.findById("host-42")).contains(refreshed);
        }

        @Test
        void subjectWhoseEmailIsTakenIsStillCreated() {
            auth.register("taken@example.com", PASSWORD, "Owner");

            User hosted = auth.authenticate(hostToken("host-7", "customer", "Hosted", "TAKEN@example.com"));

            assertThat(hosted.id()).isEqualTo("host-7");
            assertThat(auth.login("taken@example.com", PASSWORD).user().name()).isEqualTo("Owner");
        }

        @Test
        void badTokenIsUnauthorized() {
            assertThat(errorOf(() -> auth.authenticate(null))).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(errorOf(() -> auth.authenticate("garbage"))).isEqualTo(ErrorCode.UNAUTHORIZED);
        }
    }

    @Nested
    class CreateStaff {
        @Test
        void adminCreatesAgent() {
            User admin = auth.authenticate(hostToken("admin-1", "admin", "Root", "root@example.com"));

            User agent = auth.createStaff(admin, "agent@example.com", PASSWORD, "Agent", Role.AGENT);

            assertThat(agent.role()).isEqualTo(Role.AGENT);
            assertThat(auth.login("agent@example.com", PASSWORD).user()).isEqualTo(agent);
            assertThat(users.listStaff()).extracting(User::id).contains(agent.id(), admin.id());
        }

        @Test
        void nonAdminIsForbidden() {
            User manager = auth.authenticate(hostToken("m-1", "manager", "Manager", "m@example.com"));

            assertThat(errorOf(() -> auth.createStaff(manager, "a@example.com", PASSWORD, "A", Role.AGENT)))
                    .isEqualTo(ErrorCode.FORBIDDEN);
        }

        @Test
        void customerRoleIsInvalid() {
            User admin = auth.authenticate(hostToken("admin-1", "admin", "Root", "root@example.com"));

            assertThat(errorOf(() -> auth.createStaff(admin, "a@example.com", PASSWORD, "A", Role.CUSTOMER)))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void takenEmailIsConflict() {
            User admin = auth.authenticate(hostToken("admin-1", "admin", "Root", "root@example.com"));
            auth.register("a@example.com", PASSWORD, "A");

            assertThat(errorOf(() -> auth.createStaff(admin, "A@example.com", PASSWORD, "A", Role.AGENT)))
                    .isEqualTo(ErrorCode.CONFLICT);
        }
    }

    @Test
    void presenceFieldsAreStored() {
        User user = auth.register("p@example.com", PASSWORD, "P").user();
        Instant seen = Instant.parse("2026-02-01T10:00:00.500Z");

        users.updateStatus(user.id(), "busy");
        users.updateLastSeen(user.id(), seen);

        User stored = users.findById(user.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo("busy");
        assertThat(stored.lastSeenAt()).isEqualTo(seen);
    }
}

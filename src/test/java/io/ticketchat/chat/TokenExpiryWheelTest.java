package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.concurrent.TimerService;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenExpiryWheelTest {
    private static final User USER =
            new User("user-1", null, "User One", Role.CUSTOMER, Instant.EPOCH, User.DEFAULT_STATUS, null);
    private static final EventRateLimiter LIMITER = new EventRateLimiter(10, 10, 10_000);

    private final Map<ClientConnection, Long> reportedAtNanos = new ConcurrentHashMap<>();

    @Test
    void reportsConnectionWithinOneTickOfExpiry() {
        try (TimerService timers = new TimerService()) {
            TokenExpiryWheel wheel = new TokenExpiryWheel(timers, this::record);
            ClientConnection connection = connection(1, Duration.ofMillis(600));

            wheel.add(connection);
            await().atMost(5, TimeUnit.SECONDS).until(() -> reportedAtNanos.containsKey(connection));

            long lateNanos = reportedAtNanos.get(connection) - connection.tokenDeadlineNanos();
            assertThat(lateNanos).isNotNegative();
            assertThat(lateNanos).isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(wheel.size()).isZero();
        }
    }

    @Test
    void reportsAlreadyExpiredConnection() {
        try (TimerService timers = new TimerService()) {
            TokenExpiryWheel wheel = new TokenExpiryWheel(timers, this::record);
            ClientConnection connection = connection(1, Duration.ofSeconds(-5));

            wheel.add(connection);

            await().atMost(5, TimeUnit.SECONDS).until(() -> reportedAtNanos.containsKey(connection));
            assertThat(wheel.size()).isZero();
        }
    }

    @Test
    void removedConnectionIsNotReported() {
        try (TimerService timers = new TimerService()) {
            TokenExpiryWheel wheel = new TokenExpiryWheel(timers, this::record);
            ClientConnection removed = connection(1, Duration.ofMillis(300));
            ClientConnection later = connection(2, Duration.ofMillis(900));
            wheel.add(removed);
            wheel.add(later);

            boolean wasIn = wheel.remove(removed);
            await().atMost(5, TimeUnit.SECONDS).until(() -> reportedAtNanos.containsKey(later));

            assertThat(wasIn).isTrue();
            assertThat(reportedAtNanos).doesNotContainKey(removed);
            assertThat(wheel.remove(removed)).isFalse();
        }
    }

    @Test
    void closedConnectionIsNotAdded() {
        try (TimerService timers = new TimerService()) {
            TokenExpiryWheel wheel = new TokenExpiryWheel(timers, this::record);
            ClientConnection connection = connection(1, Duration.ofHours(1));
            connection.close();

            wheel.add(connection);

            assertThat(wheel.size()).isZero();
        }
    }

    @Test
    void auditRemovesEntryOfClosedConnection() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TimerService timers = new TimerService()) {
            TokenExpiryWheel wheel = new TokenExpiryWheel(timers, this::record);
            ClientConnection closed = connection(1, Duration.ofHours(1));
            ClientConnection open = connection(2, Duration.ofHours(1));
            wheel.add(closed);
            wheel.add(open);
            StateAudit audit = new StateAudit(List.of(wheel.staleEntryCheck()),
                    () -> List.of(timers.executor()), registry);

            int before = audit.runNow();
            closed.close();
            int repaired = audit.runNow();
            audit.close();

            assertThat(before).isZero();
            assertThat(repaired).isEqualTo(1);
            assertThat(wheel.size()).isEqualTo(1);
            assertThat(wheel.remove(open)).isTrue();
            assertThat(registry.get(StateAudit.REPAIRS_METRIC).tag("kind", "token_expiry").counter().count())
                    .isEqualTo(1);
        }
    }

    private void record(ClientConnection connection) {
        reportedAtNanos.put(connection, System.nanoTime());
    }

    private static ClientConnection connection(long number, Duration untilExpiry) {
        return new ClientConnection(number, USER, System.nanoTime() + untilExpiry.toNanos(), LIMITER);
    }
}

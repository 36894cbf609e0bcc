package io.ticketchat.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketchat.audit.StateAudit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TimerAuditTest {
    @Test
    void auditCancelsTimerOfReleasedOwner() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TimerService timers = new TimerService()) {
            AtomicBoolean released = new AtomicBoolean();
            timers.schedule(Duration.ofHours(1), released::get, () -> { });
            timers.schedule(Duration.ofHours(1), () -> false, () -> { });
            StateAudit audit = new StateAudit(List.of(timers.staleTimerCheck()),
                    () -> List.of(timers.executor()), registry);

            int before = audit.runNow();
            released.set(true);
            int repaired = audit.runNow();
            audit.close();

            assertThat(before).isZero();
            assertThat(repaired).isEqualTo(1);
            assertThat(timers.pendingCount()).isEqualTo(1);
            assertThat(registry.get(StateAudit.REPAIRS_METRIC).tag("kind", "timer").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void cancelledTimerLeavesPendingList() {
        try (TimerService timers = new TimerService()) {
            TimerService.Timer cancelled = timers.schedule(Duration.ofHours(1), () -> true, () -> { });
            cancelled.cancel();

            assertThat(timers.staleTimerCheck().findStale()).isEmpty();
            assertThat(timers.pendingCount()).isZero();
        }
    }
}

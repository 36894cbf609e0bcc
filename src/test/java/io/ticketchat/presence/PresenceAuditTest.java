package io.ticketchat.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.concurrent.TimerService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PresenceAuditTest {
    @Test
    void auditRemovesEntryWithoutConnectionsOrGraceTimer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<PresenceChange> offline = new CopyOnWriteArrayList<>();
        try (TimerService timers = new TimerService()) {
            PresenceTracker presence = new PresenceTracker(Duration.ofHours(1), timers, new PresenceListener() {
                @Override
                public void online(PresenceChange change) {
                }

                @Override
                public void offline(PresenceChange change) {
                    offline.add(change);
                }

                @Override
                public void statusChosen(PresenceChange change) {
                }
            }, Clock.systemUTC());
            presence.connected("agent-1", "Agent One", "c1", PresenceStatus.ONLINE);
            presence.disconnected("agent-1", "c1");
            presence.connected("agent-2", "Agent Two", "c2", PresenceStatus.ONLINE);
            StateAudit audit = new StateAudit(List.of(presence.emptyEntryCheck()), List::of, registry);

            int inGrace = audit.runNow();
            presence.dropGraceTimerForTest("agent-1");
            int repaired = audit.runNow();
            audit.close();

            assertThat(inGrace).isZero();
            assertThat(repaired).isEqualTo(1);
            assertThat(presence.entryCount()).isEqualTo(1);
            assertThat(offline).extracting(PresenceChange::userId).containsExactly("agent-1");
            assertThat(registry.get(StateAudit.REPAIRS_METRIC).tag("kind", "presence_entry").counter().count())
                    .isEqualTo(1);
        }
    }
}

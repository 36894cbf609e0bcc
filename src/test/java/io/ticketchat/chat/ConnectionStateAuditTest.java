package io.ticketchat.chat;

import static io.ticketchat.chat.LiveDesk.join;
import static io.ticketchat.chat.LiveDesk.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.concurrent.TimerService;
import io.ticketchat.engineio.EngineIoOptions;
import io.ticketchat.presence.PresenceChange;
import io.ticketchat.presence.PresenceListener;
import io.ticketchat.presence.PresenceStatus;
import io.ticketchat.presence.PresenceTracker;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoServer;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionStateAuditTest {
    private static final PresenceListener SILENT = new PresenceListener() {
        @Override
        public void online(PresenceChange change) {
        }

        @Override
        public void offline(PresenceChange change) {
        }

        @Override
        public void statusChosen(PresenceChange change) {
        }
    };

    @TempDir
    Path dataDir;

    @Test
    void auditReleasesStateOfClosedConnections() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Namespace namespace = new SocketIoServer(new ObjectMapper(), EngineIoOptions.defaults()).namespace("/");
        TypingTracker typing = new TypingTracker();
        UserConnectionCounts counts = new UserConnectionCounts();
        try (TimerService timers = new TimerService()) {
            PresenceTracker presence = new PresenceTracker(Duration.ofHours(1), timers, SILENT, Clock.systemUTC());
            ConnectionStateChecks checks = new ConnectionStateChecks(namespace, typing, counts, presence);
            typing.start("ticket-1", "agent-1", "c1");
            counts.tryAdd("agent-1", 20);
            counts.tryAdd("agent-1", 20);
            presence.connected("agent-1", "Agent One", "c1", PresenceStatus.ONLINE);
            StateAudit audit = new StateAudit(List.of(checks.typingCheck(), checks.presenceConnectionCheck(),
                    checks.connectionCountCheck()), List::of, registry);

            int repaired = audit.runNow();
            audit.close();

            assertThat(repaired).isEqualTo(3);
            assertThat(typing.entryCount()).isZero();
            assertThat(counts.userCount()).isZero();
            assertThat(presence.tracks("agent-1", "c1")).isFalse();
            assertThat(timers.pendingCount()).as("grace timer started by the repair").isEqualTo(1);
            for (String kind : List.of("typing_entry", "presence_connection", "connection_count")) {
                assertThat(registry.get(StateAudit.REPAIRS_METRIC).tag("kind", kind).counter().count())
                        .as(kind).isEqualTo(1);
            }
        }
    }

    @Test
    void auditFindsNothingWhileConnectionsAreOpen() throws Exception {
        try (TestServer server = TestServer.start(dataDir); NodeClientDriver node = NodeClientDriver.start()) {
            LiveDesk desk = new LiveDesk(server, node);
            String customerToken = tokenOf("audit-customer", "customer");
            String ticketId = desk.openTicket(customerToken);
            JsSocket customer = desk.connect(customerToken);
            JsSocket agent = desk.connectPolling(tokenOf("audit-agent", "agent"));
            join(customer, ticketId);
            join(agent, ticketId);
            agent.emitWithAck("typing", Map.of("ticketId", ticketId, "isTyping", true)).get(10, TimeUnit.SECONDS);

            int repaired = server.server().audit().runNow();

            assertThat(repaired).isZero();
            assertThat(desk.gauge("ticketchat.typing.entries")).isEqualTo(1);
            assertThat(desk.gauge("ticketchat.room.memberships")).isGreaterThanOrEqualTo(2);
            assertThat(server.server().audit().repairCount()).isZero();
        }
    }
}

package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of short connections with the official JavaScript client: each connects, joins a ticket, sends a
 * message and a typing event, and leaves cleanly, abruptly, or in the middle of a join, over WebSocket and
 * polling, as customers and agents. Afterwards every gauge of per-connection state is zero, the state audit
 * finds nothing to release, and the retained heap is back near its size after the warm-up.
 */
class ConnectionChurnTest {
    private static final Logger log = LoggerFactory.getLogger(ConnectionChurnTest.class);
    private static final int CYCLES = 10_000;
    private static final int WARM_UP_CYCLES = 400;
    private static final int CONCURRENCY = 100;
    private static final int CUSTOMERS = 60;
    private static final int AGENTS = 20;
    /**
     * Allowed growth of the retained heap over the churn, 4 MiB: a leak of one 400-byte object per cycle
     * already exceeds it, while the noise between two heap readings after full collections stays near 1 MiB.
     */
    private static final long HEAP_GROWTH_BOUND_BYTES = 4L * 1024 * 1024;
    private static final List<String> MODES = List.of("clean", "abrupt", "mid-join", "clean", "abrupt");
    private static final List<String> GAUGES = List.of(
            "ticketchat.engine.sessions",
            "ticketchat.sockets",
            "ticketchat.rooms",
            "ticketchat.room.memberships",
            "ticketchat.presence.entries",
            "ticketchat.scheduled.timers",
            "ticketchat.typing.entries",
            "ticketchat.connected.users",
            "ticketchat.db.queued.tasks");

    @TempDir
    Path dataDir;

    @Test
    void churnLeavesNoStateAndNoHeapBehind() throws Exception {
        try (TestServer server = TestServer.start(dataDir); NodeClientDriver node = NodeClientDriver.start()) {
            List<Map<String, String>> users = users(server);
            runChurn(node, server, WARM_UP_CYCLES, users, 0);
            awaitIdle(server);
            long baseline = retainedHeap();

            long started = System.nanoTime();
            JsonNode report = runChurn(node, server, CYCLES, users, WARM_UP_CYCLES);
            long churnMillis = (System.nanoTime() - started) / 1_000_000;
            awaitIdle(server);
            int repaired = server.server().audit().runNow();
            long growth = retainedHeap() - baseline;
            log.warn("churn done cycles={} elapsed_ms={} outcomes={} heap_baseline_bytes={} heap_growth_bytes={}",
                    CYCLES, churnMillis, report.path("outcomes"), baseline, growth);

            assertThat(failures(report)).as("failed cycles").isEmpty();
            for (String gauge : GAUGES) {
                assertThat(gauge(server, gauge)).as(gauge).isZero();
            }
            assertThat(repaired).as("entries released by the audit").isZero();
            assertThat(server.server().audit().repairCount()).as(StateAudit.REPAIRS_METRIC).isZero();
            assertThat(growth).as("retained heap growth in bytes").isLessThan(HEAP_GROWTH_BOUND_BYTES);
        }
    }

    /** Opens one ticket per customer; agents are cycled over the same tickets. */
    private static List<Map<String, String>> users(TestServer server) throws Exception {
        List<Map<String, String>> users = new ArrayList<>();
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String token = TestServer.token("churn-customer-" + i, "customer", "Customer " + i);
            TestServer.Response opened = server.post("/api/tickets", token, Map.of("subject", "Churn " + i));
            assertThat(opened.status()).isEqualTo(201);
            String ticketId = opened.body().path("ticket").path("id").asText();
            tickets.add(ticketId);
            users.add(Map.of("token", token, "ticketId", ticketId));
        }
        for (int i = 0; i < AGENTS; i++) {
            String token = TestServer.token("churn-agent-" + i, "agent", "Agent " + i);
            // Every fourth cycle is an agent's, so presence grace timers start and end throughout the churn.
            users.add(i * 4 % users.size(), Map.of("token", token, "ticketId", tickets.get(i % tickets.size())));
        }
        return users;
    }

    private static JsonNode runChurn(NodeClientDriver node, TestServer server, int cycles,
            List<Map<String, String>> users, int offset) {
        return node.churn(server.baseUrl() + "/", cycles, CONCURRENCY, users, MODES, offset, Duration.ofMinutes(3));
    }

    private static List<String> failures(JsonNode report) {
        List<String> failures = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> outcomes = report.path("outcomes").fields();
        while (outcomes.hasNext()) {
            Map.Entry<String, JsonNode> outcome = outcomes.next();
            String name = outcome.getKey().substring(outcome.getKey().indexOf(' ') + 1);
            if (!MODES.contains(name)) {
                failures.add(outcome.getKey() + "=" + outcome.getValue().asInt());
            }
        }
        return failures;
    }

    /** Waits until the presence grace (500 ms on the test server) has passed and every gauge is zero. */
    private static void awaitIdle(TestServer server) {
        await().atMost(Duration.ofSeconds(30)).until(() -> GAUGES.stream().allMatch(name -> gauge(server, name) == 0));
    }

    private static double gauge(TestServer server, String name) {
        return server.server().registry().get(name).gauge().value();
    }

    /** Returns the used heap after full collections, the smallest of a few readings. */
    private static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long smallest = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            smallest = Math.min(smallest, memory.getHeapMemoryUsage().getUsed());
        }
        return smallest;
    }
}

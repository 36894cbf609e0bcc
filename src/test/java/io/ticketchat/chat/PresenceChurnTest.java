package io.ticketchat.chat;

import static io.ticketchat.chat.LiveDesk.payloads;
import static io.ticketchat.chat.LiveDesk.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many agents connect with two tabs, reload one, and leave: presence is announced once per user each way, and
 * afterwards the server keeps no presence, typing, timer, socket, session or room state.
 */
class PresenceChurnTest {
    private static final int AGENTS = 200;
    private static final int TICKETS = 10;
    private static final List<String> GAUGES = List.of(
            "ticketchat.presence.entries",
            "ticketchat.scheduled.timers",
            "ticketchat.typing.entries",
            "ticketchat.sockets",
            "ticketchat.engine.sessions",
            "ticketchat.rooms",
            "ticketchat.room.memberships");

    @TempDir
    Path dataDir;

    @Test
    void churnLeavesNoStateBehind() throws Exception {
        try (TestServer server = TestServer.start(dataDir); NodeClientDriver node = NodeClientDriver.start()) {
            LiveDesk desk = new LiveDesk(server, node);
            String customerToken = tokenOf("customer-1", "customer");
            List<String> tickets = new ArrayList<>();
            for (int i = 0; i < TICKETS; i++) {
                tickets.add(desk.openTicket(customerToken));
            }
            JsSocket observer = desk.connect(customerToken);

            List<JsSocket> bothTabs = connectAll(node, server, 2);
            List<JsSocket> firstTabs = bothTabs.subList(0, AGENTS);
            List<JsSocket> secondTabs = bothTabs.subList(AGENTS, 2 * AGENTS);
            joinAll(firstTabs, tickets);
            joinAll(secondTabs, tickets);
            List<CompletableFuture<JsonNode>> typing = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                typing.add(firstTabs.get(i).emitWithAck("typing",
                        Map.of("ticketId", tickets.get(i % TICKETS), "isTyping", true)));
            }
            awaitAll(typing);
            awaitStatusCount(observer, "online", AGENTS);
            assertThat(desk.gauge("ticketchat.typing.entries")).isEqualTo(AGENTS);

            firstTabs.forEach(JsSocket::disconnect);
            List<JsSocket> reloadedTabs = connectAll(node, server, 1);
            joinAll(reloadedTabs, tickets);
            reloadedTabs.forEach(JsSocket::disconnect);
            secondTabs.forEach(JsSocket::disconnect);
            awaitStatusCount(observer, "offline", AGENTS);
            JsSocket marker = desk.passStatusMarker(observer);

            assertThat(statusCounts(observer)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("online", AGENTS + 1, "offline", AGENTS));
            observer.disconnect();
            marker.disconnect();
            await().atMost(Duration.ofSeconds(15)).until(() -> allZero(desk));
            for (String gauge : GAUGES) {
                assertThat(desk.gauge(gauge)).as(gauge).isZero();
            }
        }
    }

    /** Connects {@code tabsPerAgent} tabs of every agent at once, in rounds of one tab each, and waits for all. */
    private static List<JsSocket> connectAll(NodeClientDriver node, TestServer server, int tabsPerAgent) {
        List<JsSocket> sockets = new ArrayList<>();
        for (int tab = 0; tab < tabsPerAgent; tab++) {
            for (int i = 0; i < AGENTS; i++) {
                sockets.add(node.connect(server.baseUrl(), JsSocket.options()
                        .auth(Map.of("token", tokenOf("agent-" + i, "agent")))));
            }
        }
        for (JsSocket socket : sockets) {
            socket.awaitConnected();
        }
        return sockets;
    }

    private static void joinAll(List<JsSocket> tabs, List<String> tickets) throws Exception {
        List<CompletableFuture<JsonNode>> joins = new ArrayList<>();
        for (int i = 0; i < tabs.size(); i++) {
            joins.add(tabs.get(i).emitWithAck("join_ticket", Map.of("ticketId", tickets.get(i % TICKETS))));
        }
        for (JsonNode reply : awaitAll(joins)) {
            assertThat(reply.path("ok").asBoolean()).as("join reply %s", reply).isTrue();
        }
    }

    private static List<JsonNode> awaitAll(List<CompletableFuture<JsonNode>> replies) throws Exception {
        List<JsonNode> firstArguments = new ArrayList<>();
        for (CompletableFuture<JsonNode> reply : replies) {
            firstArguments.add(reply.get(20, TimeUnit.SECONDS).get(0));
        }
        return firstArguments;
    }

    private static void awaitStatusCount(JsSocket observer, String status, int count) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> statusCounts(observer).getOrDefault(status, 0) >= count);
    }

    private static Map<String, Integer> statusCounts(JsSocket observer) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode update : payloads(observer, LiveDesk.STATUS_UPDATE)) {
            counts.merge(update.path("status").asText(), 1, Integer::sum);
        }
        return counts;
    }

    private static boolean allZero(LiveDesk desk) {
        for (String gauge : GAUGES) {
            if (desk.gauge(gauge) != 0) {
                return false;
            }
        }
        return true;
    }
}

package io.ticketchat.chat;

import static io.ticketchat.chat.LiveDesk.assertNoEmailInStatusUpdates;
import static io.ticketchat.chat.LiveDesk.awaitStatusCount;
import static io.ticketchat.chat.LiveDesk.call;
import static io.ticketchat.chat.LiveDesk.errorCodeOf;
import static io.ticketchat.chat.LiveDesk.statusesOf;
import static io.ticketchat.chat.LiveDesk.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.db.Database;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.RawWebSocket;
import io.ticketchat.testsupport.TestServer;
import io.ticketchat.user.UserStore;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Staff presence and {@code set_status}, seen by a customer's JavaScript client and through the REST API. */
class PresenceEndToEndTest {
    @TempDir
    Path dataDir;

    private TestServer server;
    private NodeClientDriver node;
    private LiveDesk desk;
    private JsSocket watcher;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
        node = NodeClientDriver.start();
        desk = new LiveDesk(server, node);
        watcher = desk.connectAs("watcher", "customer");
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Nested
    class Connections {
        @ParameterizedTest
        @ValueSource(strings = {"agent", "manager", "admin"})
        void firstTabAnnouncesOnlineOnce(String role) {
            String userId = role + "-1";
            JsSocket firstTab = desk.connectAs(userId, role);
            JsonNode online = awaitStatusCount(watcher, userId, 1);
            JsSocket secondTab = desk.connectAs(userId, role);
            firstTab.disconnect();

            desk.passGrace(watcher);

            assertThat(online.path("status").asText()).isEqualTo("online");
            assertThat(online.path("userName").asText()).isEqualTo("Name of " + userId);
            assertThat(statusesOf(watcher, userId)).containsExactly("online");
            assertThat(secondTab.isConnected()).isTrue();
            assertNoEmailInStatusUpdates(watcher, secondTab);
        }

        @Test
        void lastCloseGoesOfflineOnceAfterGrace() throws Exception {
            JsSocket firstTab = desk.connectAs("agent-2", "agent");
            JsSocket secondTab = desk.connectAs("agent-2", "agent");
            awaitStatusCount(watcher, "agent-2", 1);

            firstTab.disconnect();
            secondTab.disconnect();
            long closedAt = System.nanoTime();
            JsonNode offline = awaitStatusCount(watcher, "agent-2", 2);
            long waitedMillis = (System.nanoTime() - closedAt) / 1_000_000;
            desk.passStatusMarker(watcher);

            assertThat(offline.path("status").asText()).isEqualTo("offline");
            assertThat(waitedMillis).as("offline must wait for the 500 ms grace").isGreaterThanOrEqualTo(450);
            assertThat(statusesOf(watcher, "agent-2")).containsExactly("online", "offline");
            JsonNode agent = desk.agentEntry("agent-2");
            assertThat(agent.path("status").asText()).isEqualTo("offline");
            assertThat(agent.path("lastSeenAt").asText()).isEqualTo(offline.path("timestamp").asText());
            assertThat(Duration.between(Instant.parse(agent.path("lastSeenAt").asText()), Instant.now()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(450));
            assertNoEmailInStatusUpdates(watcher);
        }

        @Test
        void reconnectWithinGraceSendsNothing() throws Exception {
            JsSocket tab = desk.connectAs("agent-3", "agent");
            awaitStatusCount(watcher, "agent-3", 1);

            tab.disconnect();
            JsSocket reloaded = desk.connectAs("agent-3", "agent");
            desk.passGrace(watcher);

            assertThat(statusesOf(watcher, "agent-3")).containsExactly("online");
            assertThat(desk.agentEntry("agent-3").path("status").asText()).isEqualTo("online");
            assertThat(reloaded.isConnected()).isTrue();
        }

        @Test
        void lateOldTabCloseKeepsOnline() throws Exception {
            JsSocket oldTab = desk.connectPolling(tokenOf("agent-4", "agent"));
            awaitStatusCount(watcher, "agent-4", 1);
            JsSocket newTab = desk.connectAs("agent-4", "agent");

            oldTab.closeEngine();
            await().atMost(LiveDesk.EVENT_TIMEOUT).until(() -> desk.gauge("ticketchat.sockets") == 2.0);
            desk.passGrace(watcher);

            assertThat(statusesOf(watcher, "agent-4")).containsExactly("online");
            assertThat(desk.agentEntry("agent-4").path("status").asText()).isEqualTo("online");
            assertThat(newTab.isConnected()).isTrue();
        }

        @Test
        void silentOldTabTimeoutKeepsOnline() throws Exception {
            String url = server.baseUrl().replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket";
            RawWebSocket silentTab = RawWebSocket.open(HttpClient.newHttpClient(), url);
            assertThat(silentTab.nextText()).startsWith("0{");
            silentTab.send("40{\"token\":\"" + tokenOf("agent-9", "agent") + "\"}");
            assertThat(silentTab.nextText()).startsWith("40{\"sid\":");
            awaitStatusCount(watcher, "agent-9", 1);
            JsSocket newTab = desk.connectAs("agent-9", "agent");

            silentTab.closed().get(10, TimeUnit.SECONDS);
            await().atMost(LiveDesk.EVENT_TIMEOUT).until(() -> desk.gauge("ticketchat.sockets") == 2.0);
            desk.passGrace(watcher);

            assertThat(statusesOf(watcher, "agent-9")).containsExactly("online");
            assertThat(desk.agentEntry("agent-9").path("status").asText()).isEqualTo("online");
            assertThat(newTab.isConnected()).isTrue();
        }

        @Test
        void namelessTokenShowsNoEmail() {
            String token = JWT.create()
                    .withSubject("agent-5")
                    .withClaim("role", "agent")
                    .withClaim("email", "agent.five@example.test")
                    .withExpiresAt(Date.from(Instant.now().plus(Duration.ofHours(1))))
                    .sign(Algorithm.HMAC256(TestServer.SECRET));

            JsSocket tab = desk.connect(token);
            awaitStatusCount(watcher, "agent-5", 1);

            assertNoEmailInStatusUpdates(watcher, tab);
        }

        @Test
        void restartSetsStaffLeftOnlineToOffline() throws Exception {
            desk.agentEntry("agents-reader");
            server.close();
            server = null;
            String url = Database.sqliteUrl(dataDir);
            try (Database database = Database.open(url, 1)) {
                new UserStore(database).markOnline("agents-reader");
                assertThat(presenceColumn(database, "agents-reader")).isEqualTo("online");
            }

            server = TestServer.start(dataDir);
            desk = new LiveDesk(server, node);

            try (Database database = Database.open(url, 1)) {
                assertThat(presenceColumn(database, "agents-reader")).isEqualTo("offline");
            }
            assertThat(desk.agentEntry("agents-reader").path("status").asText()).isEqualTo("offline");
        }

        private static String presenceColumn(Database database, String userId) {
            return database.withHandle("read presence", handle -> handle
                    .createQuery("SELECT presence FROM users WHERE id = :id")
                    .bind("id", userId)
                    .mapTo(String.class)
                    .one());
        }
    }

    @Nested
    class SetStatus {
        @Test
        void customerIsForbidden() throws Exception {
            JsonNode reply = call(watcher, "set_status", Map.of("status", "away"));

            assertThat(reply.path("ok").asBoolean()).isFalse();
            assertThat(errorCodeOf(reply)).isEqualTo("forbidden");
        }

        @Test
        void rejectsAnythingButOnlineAwayOrBusy() throws Exception {
            JsSocket tab = desk.connectAs("agent-6", "agent");
            awaitStatusCount(watcher, "agent-6", 1);
            List<Object> payloads = List.of(Map.of("status", "offline"), Map.of("status", "AWAY"),
                    Map.of("status", 1), Map.of("state", "away"), "away", List.of("away"));

            for (Object payload : payloads) {
                JsonNode reply = call(tab, "set_status", payload);
                assertThat(reply.path("ok").asBoolean()).as("reply to %s", payload).isFalse();
                assertThat(errorCodeOf(reply)).as("reply to %s", payload).isEqualTo("invalid_request");
            }
            desk.passStatusMarker(watcher);

            assertThat(statusesOf(watcher, "agent-6")).containsExactly("online");
        }

        @Test
        void chosenStatusSurvivesReconnects() throws Exception {
            JsSocket firstTab = desk.connectAs("agent-7", "agent");
            awaitStatusCount(watcher, "agent-7", 1);

            JsonNode chosen = call(firstTab, "set_status", Map.of("status", "away"));
            awaitStatusCount(watcher, "agent-7", 2);
            JsonNode repeated = call(firstTab, "set_status", Map.of("status", "away"));
            JsSocket secondTab = desk.connectAs("agent-7", "agent");
            firstTab.disconnect();
            secondTab.disconnect();
            JsSocket reloaded = desk.connectAs("agent-7", "agent");
            desk.passGrace(watcher);

            assertThat(chosen.path("ok").asBoolean()).isTrue();
            assertThat(chosen.path("status").asText()).isEqualTo("away");
            assertThat(repeated.path("ok").asBoolean()).isTrue();
            assertThat(statusesOf(watcher, "agent-7")).containsExactly("online", "away");
            assertThat(desk.agentEntry("agent-7").path("status").asText()).isEqualTo("away");

            reloaded.disconnect();
            awaitStatusCount(watcher, "agent-7", 3);
            JsSocket nextDay = desk.connectAs("agent-7", "agent");
            awaitStatusCount(watcher, "agent-7", 4);
            desk.passStatusMarker(watcher, nextDay);

            assertThat(statusesOf(watcher, "agent-7")).containsExactly("online", "away", "offline", "away");
            assertThat(statusesOf(nextDay, "agent-7")).containsExactly("away");
            assertNoEmailInStatusUpdates(watcher, nextDay);
        }

        @Test
        void busyThenOnlineAnnouncesEachChange() throws Exception {
            JsSocket tab = desk.connectAs("manager-8", "manager");
            awaitStatusCount(watcher, "manager-8", 1);

            call(tab, "set_status", Map.of("status", "busy"));
            call(tab, "set_status", Map.of("status", "online"));
            call(tab, "set_status", Map.of("status", "online"));
            desk.passStatusMarker(watcher);

            assertThat(statusesOf(watcher, "manager-8")).containsExactly("online", "busy", "online");
        }
    }
}

package io.ticketchat.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticketchat.TicketChatServer;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.testsupport.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionAuditTest {
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

    @TempDir
    Path dataDir;

    @Test
    void auditReleasesSessionsNothingWouldClose() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            TicketChatServer chat = server.server();
            EngineIoServer engine = chat.socketIo().engine();
            EngineIoSession idle = engine.find(openPollingSession(server));
            EngineIoSession released = engine.find(openPollingSession(server));
            idle.eventLoop().submit(idle::dropHeartbeatForTest).get();
            released.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.find(released.id()) == null);
            engine.registerForTest(released);

            int repaired = chat.audit().runNow();

            assertThat(repaired).isEqualTo(2);
            assertThat(engine.sessionCount()).isZero();
            assertThat(chat.registry().get(StateAudit.REPAIRS_METRIC).tag("kind", "engine_session").counter().count())
                    .isEqualTo(2);
        }
    }

    @Test
    void auditKeepsSessionWaitingForHeartbeat() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            openPollingSession(server);

            int repaired = server.server().audit().runNow();

            assertThat(repaired).isZero();
            assertThat(server.server().socketIo().engineSessionCount()).isEqualTo(1);
        }
    }

    /** Sends a polling handshake and no poll after it, and returns the session id. */
    private static String openPollingSession(TestServer server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/socket.io/?EIO=4&transport=polling")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher sid = SID.matcher(response.body());
        assertThat(sid.find()).as("open packet %s", response.body()).isTrue();
        return sid.group(1);
    }
}

package io.ticketchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.db.Database;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.testsupport.JavaSocket;
import io.ticketchat.testsupport.RawWebSocket;
import io.ticketchat.testsupport.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every memory limit of the server, hit from outside: the rejection a client receives, the counter that records it,
 * and, where a connection is closed, the gauges back at their idle values.
 */
class LimitsEndToEndTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static double rejections(TestServer server, String via, String code, int status) {
        Counter counter = registry(server).find("ticketchat.rejections")
                .tags("via", via, "code", code, "status", Integer.toString(status))
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static double transportLimits(TestServer server, String limit, String transport) {
        Counter counter = registry(server).find("ticketchat.transport.limits")
                .tags("limit", limit, "transport", transport)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static double gauge(TestServer server, String name, String... tags) {
        Gauge gauge = registry(server).find(name).tags(tags).gauge();
        assertThat(gauge).as("gauge %s", name).isNotNull();
        return gauge.value();
    }

    private static MeterRegistry registry(TestServer server) {
        return server.server().registry();
    }

    private static String openTicket(TestServer server, String token) throws Exception {
        TestServer.Response opened = server.post("/api/tickets", token,
                Map.of("subject", "Printer on fire", "description", "It smells of toast"));
        assertThat(opened.status()).isEqualTo(201);
        return opened.body().path("ticket").path("id").asText();
    }

    private static String engineUrl(TestServer server, String scheme, String query) {
        return scheme + "://127.0.0.1:" + server.server().port() + "/socket.io/?EIO=4&" + query;
    }

    private static HttpResponse<String> httpGet(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> httpPost(HttpClient http, String url, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a polling session and returns its sid. */
    private static String openPollingSession(HttpClient http, TestServer server) throws Exception {
        HttpResponse<String> open = httpGet(http, engineUrl(server, "http", "transport=polling"));
        assertThat(open.statusCode()).isEqualTo(200);
        return MAPPER.readTree(open.body().substring(1)).get("sid").asText();
    }

    private static String connectPacket(String token) {
        return "40{\"token\":\"" + token + "\"}";
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class IncomingPacketSize {
        private TestServer server;
        private final HttpClient http = HttpClient.newHttpClient();

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir, LimitsConfig.defaults()
                    .withMaxPayloadBytes(2_048)
                    .withMaxBinaryAttachments(2));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void webSocketMessageOverMaxPayloadClosesConnection() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, engineUrl(server, "ws", "transport=websocket"));
            assertThat(socket.nextText()).startsWith("0");

            socket.send("4" + "x".repeat(3_000));

            assertThat(socket.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1009);
            await().atMost(TIMEOUT).until(() -> transportLimits(server, "payload_size", "websocket") == 1);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
            assertThat(rejections(server, "transport", "invalid_request", 413)).isGreaterThanOrEqualTo(1);
        }

        @Test
        void pollingBodyOverLimitClosesSession() throws Exception {
            String sid = openPollingSession(http, server);

            HttpResponse<String> post = httpPost(http,
                    engineUrl(server, "http", "transport=polling&sid=" + sid), "4" + "x".repeat(3_000));

            assertThat(post.statusCode()).isEqualTo(413);
            await().atMost(TIMEOUT).until(() -> transportLimits(server, "payload_size", "polling") >= 1);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
            HttpResponse<String> poll = httpGet(http, engineUrl(server, "http", "transport=polling&sid=" + sid));
            assertThat(poll.statusCode()).isEqualTo(400);
        }

        @Test
        void restBodyOverMaxPayloadGets413InvalidRequest() throws Exception {
            String token = TestServer.token("big-body", "customer", "Big Body");
            double before = rejections(server, "http", "invalid_request", 413);

            TestServer.Response response = server.post("/api/tickets", token,
                    Map.of("subject", "Large", "description", "x".repeat(3_000)));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.body().path("error").path("code").asText()).isEqualTo("invalid_request");
            assertThat(rejections(server, "http", "invalid_request", 413)).isEqualTo(before + 1);
            assertThat(transportLimits(server, "payload_size", "http")).isGreaterThanOrEqualTo(1);
        }

        @Test
        void packetWithTooManyBinaryAttachmentsClosesConnection() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, engineUrl(server, "ws", "transport=websocket"));
            assertThat(socket.nextText()).startsWith("0");
            double before = rejections(server, "transport", "invalid_request", 400);

            socket.send("453-[\"upload\",{\"_placeholder\":true,\"num\":0}]");

            assertThat(socket.closed().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(transportLimits(server, "binary_attachments", "websocket")).isEqualTo(1);
            assertThat(rejections(server, "transport", "invalid_request", 400)).isEqualTo(before + 1);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class EventRate {
        private TestServer server;

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir, LimitsConfig.defaults()
                    .withEventRate(1, 1)
                    .withFloodDisconnectMillis(500));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        private JavaSocket connect(String userId) throws Exception {
            return JavaSocket.connect(server.baseUrl(), TestServer.token(userId, "customer", userId), "websocket")
                    .awaitConnected();
        }

        @Test
        void eventOverRateGetsRateLimitedAck() throws Exception {
            try (JavaSocket socket = connect("rate-ack")) {
                socket.call("leave_ticket", "t-1");
                double before = rejections(server, "socket", "rate_limited", 429);

                JsonNode reply = socket.call("leave_ticket", "t-1");

                assertThat(reply.path("ok").asBoolean()).isFalse();
                assertThat(reply.path("error").path("code").asText()).isEqualTo("rate_limited");
                assertThat(rejections(server, "socket", "rate_limited", 429)).isEqualTo(before + 1);
            }
        }

        @Test
        void eventsWithoutAckGetOneErrorPerSecond() throws Exception {
            try (JavaSocket socket = connect("rate-no-ack")) {
                double before = rejections(server, "socket", "rate_limited", 429);
                long started = System.nanoTime();

                for (int i = 0; i < 6; i++) {
                    socket.emit("leave_ticket", "t-1");
                }

                await().atMost(TIMEOUT).until(() -> rejections(server, "socket", "rate_limited", 429) >= before + 5);
                long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                await().atMost(TIMEOUT).until(() -> !socket.events("error").isEmpty());
                List<String> codes = new ArrayList<>();
                socket.events("error").forEach(error -> codes.add(error.path("code").asText()));
                // Five rejections, but at most one error event for each second the rejections were spread over.
                assertThat(codes).hasSizeBetween(1, (int) elapsedSeconds + 1);
                assertThat(codes).containsOnly("rate_limited");
            }
        }

        @Test
        void floodingConnectionIsDisconnected() throws Exception {
            try (JavaSocket socket = connect("rate-flood")) {
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
                    socket.emit("leave_ticket", "t-1");
                    return socket.disconnected().isDone();
                });

                assertThat(socket.disconnected().get()).isEqualTo("io server disconnect");
                await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.sockets") == 0);
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ConnectionLimits {
        private TestServer server;

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir, LimitsConfig.defaults().withConnectionLimits(2, 20));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void joiningMoreTicketsThanLimitIsLimitExceeded() throws Exception {
            String token = TestServer.token("joiner", "customer", "Joiner");
            List<String> tickets = List.of(openTicket(server, token), openTicket(server, token),
                    openTicket(server, token));
            try (JavaSocket socket = JavaSocket.connect(server.baseUrl(), token, "websocket").awaitConnected()) {
                assertThat(socket.call("join_ticket", tickets.get(0)).path("ok").asBoolean()).isTrue();
                assertThat(socket.call("join_ticket", tickets.get(1)).path("ok").asBoolean()).isTrue();
                double before = rejections(server, "socket", "limit_exceeded", 429);

                JsonNode third = socket.call("join_ticket", tickets.get(2));

                assertThat(third.path("error").path("code").asText()).isEqualTo("limit_exceeded");
                assertThat(rejections(server, "socket", "limit_exceeded", 429)).isEqualTo(before + 1);
            }
        }

        @Test
        void twentyFirstConnectionIsRejected() throws Exception {
            String token = TestServer.token("many-tabs", "customer", "Many Tabs");
            List<JavaSocket> tabs = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    tabs.add(JavaSocket.connect(server.baseUrl(), token, "websocket").awaitConnected());
                }
                double before = rejections(server, "handshake", "limit_exceeded", 429);

                JavaSocket extra = JavaSocket.connect(server.baseUrl(), token, "websocket");
                tabs.add(extra);

                await().atMost(TIMEOUT).until(() -> extra.connected().isDone());
                assertThat(extra.connected()).isCompletedExceptionally();
                assertThat(extra.connected().handle((ok, error) -> error.getMessage()).get())
                        .contains("limit_exceeded");
                assertThat(rejections(server, "handshake", "limit_exceeded", 429)).isEqualTo(before + 1);
            } finally {
                tabs.forEach(JavaSocket::close);
            }
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.connected.users") == 0);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OutboundQueue {
        private static final String LARGE_CONTENT = "\uD83D\uDE00".repeat(10_000);

        private TestServer server;
        private final HttpClient http = HttpClient.newHttpClient();

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir, LimitsConfig.defaults().withMaxOutboundQueuedBytes(16 * 1024));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        private void sendLargeMessage(String ticketId, String token) throws Exception {
            TestServer.Response sent = server.post("/api/tickets/" + ticketId + "/messages", token,
                    Map.of("content", LARGE_CONTENT));
            assertThat(sent.status()).isEqualTo(201);
        }

        @Test
        void webSocketClientThatStopsReadingIsClosed() throws Exception {
            String token = TestServer.token("ws-stalled", "customer", "Stalled");
            String ticketId = openTicket(server, token);
            RawWebSocket stalled = RawWebSocket.openNotReading(http, engineUrl(server, "ws", "transport=websocket"));
            stalled.send(connectPacket(token));
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.sockets") == 1);
            stalled.send("42[\"join_ticket\",\"" + ticketId + "\"]");
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.room.memberships") >= 2);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> {
                sendLargeMessage(ticketId, token);
                stalled.send("3");
                return transportLimits(server, "outbound_queue", "websocket") == 1;
            });

            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
            assertThat(gauge(server, "ticketchat.connections", "transport", "websocket")).isZero();
            assertThat(gauge(server, "ticketchat.outbound.queued.bytes")).isZero();
            assertThat(rejections(server, "transport", "limit_exceeded", 429)).isGreaterThanOrEqualTo(1);
            stalled.close();
        }

        @Test
        void pollingClientThatStopsPollingIsClosed() throws Exception {
            String token = TestServer.token("poll-stalled", "customer", "Stalled");
            String ticketId = openTicket(server, token);
            String sid = openPollingSession(http, server);
            String url = engineUrl(server, "http", "transport=polling&sid=" + sid);
            assertThat(httpPost(http, url, connectPacket(token)).statusCode()).isEqualTo(200);
            assertThat(httpGet(http, url).body()).contains("40");
            assertThat(httpPost(http, url, "42[\"join_ticket\",\"" + ticketId + "\"]").statusCode()).isEqualTo(200);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.room.memberships") >= 2);

            sendLargeMessage(ticketId, token);

            await().atMost(TIMEOUT).until(() -> transportLimits(server, "outbound_queue", "polling") == 1);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
            assertThat(gauge(server, "ticketchat.connections", "transport", "polling")).isZero();
            assertThat(gauge(server, "ticketchat.outbound.queued.bytes")).isZero();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DatabaseQueue {
        private TestServer server;

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir, LimitsConfig.defaults().withMaxQueuedDbTasks(2));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void fullDatabaseQueueRejectsWorkWithOverloaded() throws Exception {
            String token = TestServer.token("patient", "customer", "Patient");
            String ticketId = openTicket(server, token);
            DbExecutor db = server.server().dbExecutor();
            CountDownLatch release = new CountDownLatch(1);
            try (JavaSocket socket = JavaSocket.connect(server.baseUrl(), token, "websocket").awaitConnected()) {
                CountDownLatch running = new CountDownLatch(db.threadCount());
                for (int i = 0; i < db.threadCount(); i++) {
                    db.submit(() -> {
                        running.countDown();
                        return release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    });
                }
                assertThat(running.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                db.submit(() -> release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                db.submit(() -> release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                assertThat(gauge(server, "ticketchat.db.queued.tasks")).isEqualTo(2);

                TestServer.Response rest = server.get("/api/tickets/" + ticketId, token);
                JsonNode ack = socket.call("join_ticket", ticketId);

                assertThat(rest.status()).isEqualTo(503);
                assertThat(rest.body().path("error").path("code").asText()).isEqualTo("overloaded");
                assertThat(ack.path("error").path("code").asText()).isEqualTo("overloaded");
                assertThat(rejections(server, "http", "overloaded", 503)).isEqualTo(1);
                assertThat(rejections(server, "socket", "overloaded", 503)).isEqualTo(1);
            } finally {
                release.countDown();
            }
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.db.queued.tasks") == 0);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class MessageWriterQueue {
        private Path dataDir;
        private TestServer server;

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            this.dataDir = dataDir;
            server = TestServer.start(dataDir, LimitsConfig.defaults().withMaxQueuedDbTasks(2));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void fullMessageWriterRejectsSendsWithOverloaded() throws Exception {
            String token = TestServer.token("talker", "customer", "Talker");
            String ticketId = openTicket(server, token);
            double socketBefore = rejections(server, "socket", "overloaded", 503);
            double httpBefore = rejections(server, "http", "overloaded", 503);
            try (JavaSocket socket = JavaSocket.connect(server.baseUrl(), token, "websocket").awaitConnected();
                    Connection lock = DriverManager.getConnection(Database.sqliteUrl(dataDir))) {
                assertThat(socket.call("join_ticket", ticketId).path("ok").asBoolean()).isTrue();
                // Holding SQLite's write lock stops the writer in its first batch, so the two sends stay in flight.
                lock.createStatement().execute("BEGIN IMMEDIATE");
                CompletableFuture<JsonNode> first = socket.emitWithAck("send_message",
                        Map.of("ticketId", ticketId, "content", "first"));
                CompletableFuture<JsonNode> second = socket.emitWithAck("send_message",
                        Map.of("ticketId", ticketId, "content", "second"));
                await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.message.writer.queued") == 2);

                JsonNode third = socket.call("send_message", Map.of("ticketId", ticketId, "content", "third"));
                TestServer.Response rest = server.post("/api/tickets/" + ticketId + "/messages", token,
                        Map.of("content", "fourth"));
                lock.createStatement().execute("ROLLBACK");

                assertThat(third.path("error").path("code").asText()).isEqualTo("overloaded");
                assertThat(rest.status()).isEqualTo(503);
                assertThat(rest.body().path("error").path("code").asText()).isEqualTo("overloaded");
                assertThat(rejections(server, "socket", "overloaded", 503)).isEqualTo(socketBefore + 1);
                assertThat(rejections(server, "http", "overloaded", 503)).isEqualTo(httpBefore + 1);
                assertThat(first.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).path("ok").asBoolean()).isTrue();
                assertThat(second.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).path("ok").asBoolean()).isTrue();
            }
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.message.writer.queued") == 0);
            JsonNode history = server.get("/api/tickets/" + ticketId + "/messages", token).body();
            assertThat(history.path("messages").findValuesAsText("content")).containsExactly("first", "second");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class HandshakeTimeouts {
        private TestServer server;
        private final HttpClient http = HttpClient.newHttpClient();

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir, LimitsConfig.defaults().withHandshakeTimeouts(1_000, 300));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void pollingSessionNeverPolledIsClosed() throws Exception {
            double before = transportLimits(server, "handshake_timeout", "polling");

            openPollingSession(http, server);

            await().atMost(TIMEOUT).until(() -> transportLimits(server, "handshake_timeout", "polling") == before + 1);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
            assertThat(gauge(server, "ticketchat.connections", "transport", "polling")).isZero();
        }

        @Test
        void webSocketWithoutConnectIsClosed() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, engineUrl(server, "ws", "transport=websocket"));

            assertThat(socket.closed().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(transportLimits(server, "handshake_timeout", "websocket")).isGreaterThanOrEqualTo(1);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
            assertThat(gauge(server, "ticketchat.connections", "transport", "websocket")).isZero();
        }

        @Test
        void upgradeNeverCompletedClosesProbingWebSocket() throws Exception {
            String token = TestServer.token("slow-upgrade", "customer", "Slow Upgrade");
            String sid = openPollingSession(http, server);
            String url = engineUrl(server, "http", "transport=polling&sid=" + sid);
            assertThat(httpPost(http, url, connectPacket(token)).statusCode()).isEqualTo(200);
            assertThat(httpGet(http, url).body()).contains("40");

            RawWebSocket probe = RawWebSocket.open(http, engineUrl(server, "ws", "transport=websocket&sid=" + sid));

            assertThat(probe.closed().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(transportLimits(server, "handshake_timeout", "websocket")).isGreaterThanOrEqualTo(1);
            assertThat(gauge(server, "ticketchat.connections", "transport", "polling")).isEqualTo(1);
            assertThat(httpPost(http, url, "1").statusCode()).isEqualTo(200);
            await().atMost(TIMEOUT).until(() -> gauge(server, "ticketchat.engine.sessions") == 0);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class MetricsEndpoint {
        private TestServer server;

        @BeforeAll
        void start(@TempDir Path dataDir) throws Exception {
            server = TestServer.start(dataDir);
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void scrapeListsEveryLimitGaugeAndCounter() throws Exception {
            HttpResponse<String> scrape = httpGet(HttpClient.newHttpClient(), server.baseUrl() + "/metrics");

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(
                    "ticketchat_connections{transport=\"websocket\"}",
                    "ticketchat_connections{transport=\"polling\"}",
                    "ticketchat_engine_sessions ",
                    "ticketchat_sockets ",
                    "ticketchat_room_memberships ",
                    "ticketchat_rooms ",
                    "ticketchat_presence_entries ",
                    "ticketchat_scheduled_timers ",
                    "ticketchat_pending_acks ",
                    "ticketchat_db_queued_tasks ",
                    "ticketchat_message_writer_queued ",
                    "ticketchat_message_writer_commits_total ",
                    "ticketchat_message_writer_failed_batches_total ",
                    "ticketchat_outbound_queued_bytes ",
                    "ticketchat_rejections_total{code=\"rate_limited\",status=\"429\",via=\"socket\"}",
                    "ticketchat_rejections_total{code=\"limit_exceeded\",status=\"429\",via=\"handshake\"}",
                    "ticketchat_rejections_total{code=\"overloaded\",status=\"503\",via=\"http\"}",
                    "ticketchat_rejections_total{code=\"invalid_request\",status=\"413\",via=\"transport\"}");
        }
    }
}

package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EngineIoProtocolTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.withEchoHandlers(TestServer.FAST.withMaxPayloadBytes(10_000));
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String query) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.httpUrl("/engine.io/?" + query))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String query) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.httpUrl("/engine.io/?" + query))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String query, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpUrl("/engine.io/?" + query)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String openPollingSession() throws IOException, InterruptedException {
        return MAPPER.readTree(get("EIO=4&transport=polling").body().substring(1)).get("sid").asText();
    }

    @Nested
    class Handshake {
        @Test
        void pollingHandshakeSendsSessionFields() throws Exception {
            HttpResponse<String> response = get("EIO=4&transport=polling");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("0");
            JsonNode open = MAPPER.readTree(response.body().substring(1));
            assertThat(open.get("sid").asText()).hasSize(20);
            assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
            assertThat(open.get("pingInterval").asInt()).isEqualTo(300);
            assertThat(open.get("pingTimeout").asInt()).isEqualTo(200);
            assertThat(open.get("maxPayload").asInt()).isEqualTo(10_000);
            assertThat(open.size()).isEqualTo(5);
        }

        @Test
        void websocketHandshakeOffersNoUpgrade() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/engine.io/?EIO=4&transport=websocket"));

            JsonNode open = MAPPER.readTree(socket.nextText().substring(1));

            assertThat(open.get("upgrades").isEmpty()).isTrue();
            socket.close();
        }

        @Test
        void badRequestsGetEngineErrors() throws Exception {
            assertError(get("transport=polling"), 5, "Unsupported protocol version");
            assertError(get("EIO=3&transport=polling"), 5, "Unsupported protocol version");
            assertError(get("EIO=4"), 0, "Transport unknown");
            assertError(get("EIO=4&transport=abc"), 0, "Transport unknown");
            assertError(post("EIO=4&transport=polling", ""), 2, "Bad handshake method");
            assertError(get("EIO=4&transport=polling&sid=nope"), 1, "Session ID unknown");
            assertError(get("EIO=4&transport=websocket"), 3, "Bad request");
        }

        private void assertError(HttpResponse<String> response, int code, String message) throws IOException {
            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode body = MAPPER.readTree(response.body());
            assertThat(body.get("code").asInt()).isEqualTo(code);
            assertThat(body.get("message").asText()).isEqualTo(message);
        }

        @Test
        void otherPathsGetNotFoundJson() throws Exception {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(server.httpUrl("/api/nothing"))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(MAPPER.readTree(response.body()).at("/error/code").asText()).isEqualTo("invalid_request");
        }
    }

    @Nested
    class Polling {
        @Test
        void payloadFramingRoundTripsTextAndBinary() throws Exception {
            String sid = openPollingSession();

            HttpResponse<String> push = post("EIO=4&transport=polling&sid=" + sid, "4hello\u001e4two\u001ebAQIDBA==");
            HttpResponse<String> poll = get("EIO=4&transport=polling&sid=" + sid);

            assertThat(push.statusCode()).isEqualTo(200);
            assertThat(push.body()).isEqualTo("ok");
            assertThat(poll.body()).isEqualTo("4hello\u001e4two\u001ebAQIDBA==");
        }

        @Test
        void invalidPacketClosesSession() throws Exception {
            String sid = openPollingSession();

            HttpResponse<String> push = post("EIO=4&transport=polling&sid=" + sid, "abc");

            assertThat(push.statusCode()).isEqualTo(400);
            assertThat(get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
            assertThat(server.echoEngine.sessionCount()).isZero();
        }

        @Test
        void duplicatePollClosesSession() throws Exception {
            String sid = openPollingSession();
            CompletableFuture<HttpResponse<String>> first = getAsync("EIO=4&transport=polling&sid=" + sid);

            HttpResponse<String> second = getAsync("EIO=4&transport=polling&sid=" + sid + "&t=2")
                    .get(5, TimeUnit.SECONDS);

            HttpResponse<String> firstResponse = first.get(5, TimeUnit.SECONDS);
            if (firstResponse.statusCode() == 400 || second.statusCode() == 400) {
                // The two requests may reach the session in either order: the later one is the duplicate.
                HttpResponse<String> held = firstResponse.statusCode() == 400 ? second : firstResponse;
                assertThat(held.body()).isEqualTo("1");
                assertThat(server.echoEngine.sessionCount()).isZero();
            } else {
                // One poll got a ping response before the other arrived, so the two did not overlap.
                assertThat(List.of(firstResponse.body(), second.body())).contains("2");
            }
        }

        @Test
        void clientCloseAnswersPendingPollWithNoop() throws Exception {
            String sid = openPollingSession();
            CompletableFuture<HttpResponse<String>> poll = getAsync("EIO=4&transport=polling&sid=" + sid);

            post("EIO=4&transport=polling&sid=" + sid, "1");

            HttpResponse<String> pollResponse = poll.get(5, TimeUnit.SECONDS);
            if (pollResponse.statusCode() == 200) {
                assertThat(pollResponse.body()).isEqualTo("6");
            } else {
                // The close overtook the poll on its way in, so the poll found no session.
                assertThat(pollResponse.statusCode()).isEqualTo(400);
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }

        @Test
        void oversizedBodyIsRejectedAndClosesSession() throws Exception {
            String sid = openPollingSession();

            HttpResponse<String> push = post("EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(20_000));

            assertThat(push.statusCode()).isEqualTo(413);
            assertThat(MAPPER.readTree(push.body()).at("/error/code").asText()).isEqualTo("invalid_request");
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }
    }

    @Nested
    class Heartbeat {
        @Test
        void pollingPongsKeepSessionOpen() throws Exception {
            String sid = openPollingSession();

            for (int i = 0; i < 3; i++) {
                assertThat(get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("2");
                assertThat(post("EIO=4&transport=polling&sid=" + sid, "3").statusCode()).isEqualTo(200);
            }

            assertThat(server.echoEngine.sessionCount()).isEqualTo(1);
        }

        @Test
        void silentPollingClosedAfterPingTimeout() throws Exception {
            openPollingSession();

            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }

        @Test
        void silentWebSocketClosedAfterPingTimeout() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/engine.io/?EIO=4&transport=websocket"));
            socket.nextText();

            assertThat(socket.nextText()).isEqualTo("2");
            socket.closed().get(2, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }
    }

    @Nested
    class WebSocketTransport {
        @Test
        void echoesTextAndBinaryMessages() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/engine.io/?EIO=4&transport=websocket"));
            socket.nextText();

            socket.send("4hello");
            socket.send(new byte[] {1, 2, 3});

            assertThat(socket.nextNonPing()).isEqualTo("4hello");
            assertThat((byte[]) socket.nextNonPing()).containsExactly(1, 2, 3);
            socket.close();
        }

        @Test
        void fragmentedMessageArrivesWhole() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/engine.io/?EIO=4&transport=websocket"));
            socket.nextText();

            socket.sendFragments("4hel", "lo ", "world");
            socket.send("4after");

            assertThat(socket.nextNonPing()).isEqualTo("4hello world");
            assertThat(socket.nextNonPing()).isEqualTo("4after");
            socket.close();
        }

        @Test
        void fragmentedMessageOverMaxPayloadClosesConnection() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/engine.io/?EIO=4&transport=websocket"));
            socket.nextText();

            socket.sendFragments("4" + "a".repeat(6_000), "b".repeat(6_000));

            socket.closed().get(2, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }

        @Test
        void invalidPacketClosesConnection() throws Exception {
            RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/engine.io/?EIO=4&transport=websocket"));
            socket.nextText();

            socket.send("abc");

            socket.closed().get(2, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }

        @Test
        void upgradeMovesPollingSessionToWebSocket() throws Exception {
            String sid = openPollingSession();
            RawWebSocket socket = RawWebSocket.open(
                    http, server.wsUrl("/engine.io/?EIO=4&transport=websocket&sid=" + sid));

            socket.send("2probe");
            assertThat(socket.nextText()).isEqualTo("3probe");
            assertThat(get("EIO=4&transport=polling&sid=" + sid).body()).isEqualTo("6");
            socket.send("5");
            socket.send("4hello");

            assertThat(socket.nextNonPing()).isEqualTo("4hello");
            assertThat(get("EIO=4&transport=polling&sid=" + sid).statusCode()).isEqualTo(400);
            RawWebSocket second = RawWebSocket.open(
                    http, server.wsUrl("/engine.io/?EIO=4&transport=websocket&sid=" + sid));
            second.closed().get(2, TimeUnit.SECONDS);
            socket.close();
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine.sessionCount() == 0);
        }
    }
}

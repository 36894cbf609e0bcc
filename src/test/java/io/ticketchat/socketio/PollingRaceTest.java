package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.engineio.EngineIoServer;
import io.ticketchat.engineio.EngineIoSession;
import io.ticketchat.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Polling requests that race a close or a heartbeat deadline, in a forced order. */
class PollingRaceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LinkedBlockingQueue<EngineIoSession> opened = new LinkedBlockingQueue<>();
    private EngineIoServer engine;
    private HttpServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws InterruptedException {
        engine = new EngineIoServer(TestServer.FAST, opened::add);
        server = HttpServer.builder()
                .port(0)
                .eventLoopThreads(2)
                .mount("/engine.io/", engine)
                .build()
                .start();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void pollAfterClientCloseGetsNoop() throws Exception {
        String sid = openSession();

        HttpResponse<String> close = post(sid, "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.sessionCount() == 0);
        HttpResponse<String> poll = get(sid);
        HttpResponse<String> secondPoll = get(sid);

        assertThat(close.statusCode()).isEqualTo(200);
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(poll.body()).isEqualTo("6");
        assertThat(secondPoll.statusCode()).isEqualTo(400);
        assertThat(engine.closedPollCount()).isZero();
        assertThat(engine.sessionCount()).isZero();
    }

    @Test
    void postAfterClientCloseIsRejected() throws Exception {
        String sid = openSession();
        post(sid, "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.closedPollCount() == 1);

        HttpResponse<String> push = post(sid, "4late");

        assertThat(push.statusCode()).isEqualTo(400);
        assertThat(engine.closedPollCount()).isEqualTo(1);
    }

    @Test
    void closedPollEntryExpires() throws Exception {
        String sid = openSession();

        post(sid, "1");

        await().atMost(Duration.ofSeconds(5)).until(() -> engine.closedPollCount() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.closedPollCount() == 0);
        assertThat(get(sid).statusCode()).isEqualTo(400);
    }

    @Test
    void lateHeartbeatTimerStillTimesOut() throws Exception {
        String sid = openSession();
        long openedNanos = System.nanoTime();
        EngineIoSession session = opened.take();
        Duration interval = TestServer.FAST.pingInterval();
        Duration deadline = interval.plus(TestServer.FAST.pingTimeout());
        CountDownLatch release = new CountDownLatch(1);
        session.eventLoop().schedule(
                () -> awaitQuietly(release), interval.toMillis() - 100, TimeUnit.MILLISECONDS);

        sleepUntil(openedNanos + deadline.toNanos());
        CompletableFuture<HttpResponse<String>> poll = getAsync(sid);
        Thread.sleep(150);
        release.countDown();

        assertThat(poll.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(400);
        assertThat(engine.sessionCount()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining = nanoTime - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
    }

    private String openSession() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri(null)).build(), HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body().substring(1)).get("sid").asText();
    }

    private HttpResponse<String> get(String sid) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(sid)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String sid) {
        return http.sendAsync(HttpRequest.newBuilder(uri(sid)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String sid, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(sid))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String sid) {
        String query = "EIO=4&transport=polling" + (sid == null ? "" : "&sid=" + sid);
        return URI.create("http://127.0.0.1:" + server.port() + "/engine.io/?" + query);
    }
}

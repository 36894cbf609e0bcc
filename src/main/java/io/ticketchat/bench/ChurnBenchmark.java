package io.ticketchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Churn: cycles of connect, join, send one message and disconnect, a few hundred at once, then the memory
 * the server keeps after a full GC compared with the memory after a short warm-up. For TicketChat the gauges
 * of {@code /metrics} are read at the end too: with every client gone they should be back at zero.
 */
final class ChurnBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROOMS = 100;
    private static final int WARM_UP_CYCLES = 2_000;
    private static final long ACK_TIMEOUT_MILLIS = 10_000;
    private static final long SETTLE_MILLIS = 3_000;

    /** Cycles run and failed, memory before and after (bytes), and the gauges read at the end. */
    record Result(long cycles, long failures, double cyclesPerSecond, long rssBeforeBytes, long rssAfterBytes,
            long heapBeforeBytes, long heapAfterBytes, long heapGrowthBytes, Map<String, String> gauges) {
    }

    private final boolean isJvm;
    private final int concurrency;
    private final long timeLimitMillis;

    ChurnBenchmark(boolean isJvm, int concurrency, long timeLimitMillis) {
        this.isJvm = isJvm;
        this.concurrency = concurrency;
        this.timeLimitMillis = timeLimitMillis;
    }

    Result run(BenchTarget target, BenchClient client, long cycles) throws IOException, InterruptedException {
        target.openTickets(ROOMS);
        AtomicLong failures = new AtomicLong();
        runCycles(target, client, 0, WARM_UP_CYCLES, failures);
        Thread.sleep(SETTLE_MILLIS);
        long heapBefore = isJvm ? target.server().heapAfterGcBytes() : 0;
        long rssBefore = target.server().rssBytes();

        failures.set(0);
        long start = System.nanoTime();
        long done = runCycles(target, client, WARM_UP_CYCLES, cycles, failures);
        double perSecond = done / ((System.nanoTime() - start) / 1e9);
        Thread.sleep(SETTLE_MILLIS);

        long heapAfter = isJvm ? target.server().heapAfterGcBytes() : 0;
        long rssAfter = target.server().rssBytes();
        Map<String, String> gauges = isJvm ? gauges(target) : Map.of();
        System.out.printf("%s churn %d cycles (%.0f/s, %d failed): heap %d -> %d KiB, rss %d -> %d KiB%n",
                target.server().name(), done, perSecond, failures.get(), heapBefore / 1024, heapAfter / 1024,
                rssBefore / 1024, rssAfter / 1024);
        return new Result(done, failures.get(), perSecond, rssBefore, rssAfter, heapBefore, heapAfter,
                heapAfter - heapBefore, gauges);
    }

    /** Runs cycles {@code first} to {@code first + count}, at most {@code concurrency} at once, within the limit. */
    private long runCycles(BenchTarget target, BenchClient client, long first, long count, AtomicLong failures)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeLimitMillis);
        long started = 0;
        while (started < count && System.nanoTime() < deadline) {
            if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                continue;
            }
            cycle(target, client, first + started).whenComplete((ok, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                }
                slots.release();
            });
            started++;
        }
        long left = Math.max(0, deadline - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MILLIS);
        if (!slots.tryAcquire(concurrency, left, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("churn cycles still running after the time limit");
        }
        return started;
    }

    private CompletableFuture<Void> cycle(BenchTarget target, BenchClient client, long index) {
        int room = (int) (index % ROOMS);
        JsonNode join = JSON.createObjectNode().put("ticketId", target.ticketId(room));
        JsonNode message = JSON.createObjectNode()
                .put("ticketId", target.ticketId(room))
                .put("content", "churn " + index)
                .put("clientMessageId", "churn-" + index);
        return client.connect((int) index, target.token(room), frame -> { })
                .thenCompose(connection -> connection.emitWithAck("join_ticket", join, ACK_TIMEOUT_MILLIS)
                        .thenCompose(ack -> connection.emitWithAck("send_message", message, ACK_TIMEOUT_MILLIS))
                        .whenComplete((ack, error) -> connection.close())
                        .thenAccept(ack -> {
                            if (!ack.path("ok").asBoolean()) {
                                throw new IllegalStateException("send_message rejected: " + ack);
                            }
                        }));
    }

    /** Reads TicketChat's gauges (every series that is not a counter) from {@code /metrics}. */
    private static Map<String, String> gauges(BenchTarget target) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + target.server().port() + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Map<String, String> gauges = new LinkedHashMap<>();
        body.lines()
                .filter(line -> line.startsWith("ticketchat_") && !line.contains("_total"))
                .forEach(line -> {
                    int space = line.lastIndexOf(' ');
                    gauges.put(line.substring(0, space), line.substring(space + 1));
                });
        return gauges;
    }
}

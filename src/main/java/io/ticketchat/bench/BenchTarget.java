package io.ticketchat.bench;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The load shape both servers get: room {@code r} is a ticket opened by customer {@code bench-customer-r},
 * and its members are connections of that customer (a customer with several tabs and devices). Customers
 * keep staff presence out of the numbers, and ten connections stay under the per-user connection limit.
 * Tokens are signed here with the servers' shared secret, as a host application would.
 */
final class BenchTarget {
    static final int MEMBERS_PER_ROOM = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACK_TIMEOUT_MILLIS = 30_000;

    private final ServerProcess server;
    private final Algorithm algorithm;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<String> ticketIds = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    BenchTarget(ServerProcess server, String secret) {
        this.server = server;
        this.algorithm = Algorithm.HMAC256(secret);
    }

    ServerProcess server() {
        return server;
    }

    String ticketId(int room) {
        return ticketIds.get(room);
    }

    /** Opens tickets until there are {@code rooms}, one customer each, over the REST API. */
    void openTickets(int rooms) throws IOException, InterruptedException {
        for (int room = ticketIds.size(); room < rooms; room++) {
            String token = token(room);
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/tickets"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"Bench room " + room + "\"}"))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw new IOException(server.name() + " rejected the ticket request: HTTP " + response.statusCode());
            }
            ticketIds.add(JSON.readTree(response.body()).path("ticket").path("_id").asText());
            tokens.add(token);
        }
    }

    /**
     * Opens connections {@code from} (inclusive) to {@code to} (exclusive), connection {@code k} joining
     * room {@code k / 10}, at most {@code window} handshakes at once, within {@code timeoutMillis}.
     *
     * @return the connections that connected and joined; failures are counted in {@code failures}
     */
    List<BenchConnection> connectAndJoin(BenchClient client, int from, int to, int window, long timeoutMillis,
            Consumer<String> onFrame, AtomicInteger failures) throws InterruptedException {
        List<BenchConnection> joined = Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(window);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int k = from; k < to; k++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                failures.addAndGet(to - k);
                break;
            }
            int room = k / MEMBERS_PER_ROOM;
            JsonNode join = JSON.createObjectNode().put("ticketId", ticketIds.get(room));
            CompletableFuture<JsonNode> done = client.connect(k, tokens.get(room), onFrame)
                    .thenCompose(c -> c.emitWithAck("join_ticket", join, ACK_TIMEOUT_MILLIS)
                            .thenApply(ack -> {
                                if (!ack.path("ok").asBoolean()) {
                                    c.close();
                                    throw new IllegalStateException("join_ticket rejected: " + ack);
                                }
                                c.joined(ticketIds.get(room));
                                joined.add(c);
                                return ack;
                            }));
            done.whenComplete((ack, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                }
                slots.release();
            });
        }
        long left = Math.max(0, deadline - System.nanoTime());
        if (!slots.tryAcquire(window, left, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("handshakes still running at the deadline");
        }
        slots.release(window);
        return new ArrayList<>(joined);
    }

    /** Returns the token of the customer who opened room {@code room}'s ticket. */
    String token(int room) {
        String id = "bench-customer-" + room;
        return JWT.create()
                .withSubject(id)
                .withClaim("role", "customer")
                .withClaim("name", "Bench Customer " + room)
                .withClaim("email", id + "@example.com")
                .withIssuedAt(Instant.now())
                .withExpiresAt(Instant.now().plus(Duration.ofHours(6)))
                .sign(algorithm);
    }
}

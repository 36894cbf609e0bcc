package io.ticketchat.bench;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The rooms of the load and how a connection joins one: room {@code r} is the ticket opened by customer
 * {@code bench-customer-r}, and connection {@code k} joins room {@code k / 10} with that customer's token.
 * The bench process and every client process ({@link ConnectionHolder}) open connections through this class,
 * so a connection's room and token depend on its index alone. Tokens are signed with the servers' shared
 * secret, as a host application would sign them.
 */
final class BenchRooms {
    static final int MEMBERS_PER_ROOM = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACK_TIMEOUT_MILLIS = 30_000;

    private final Algorithm algorithm;
    private final List<String> ticketIds = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    BenchRooms(String secret) {
        this.algorithm = Algorithm.HMAC256(secret);
    }

    /** Returns the number of rooms needed for {@code connections} connections. */
    static int roomsFor(int connections) {
        return (connections + MEMBERS_PER_ROOM - 1) / MEMBERS_PER_ROOM;
    }

    /** Adds the next room, whose ticket was opened with {@link #token} of that room. */
    void add(String ticketId) {
        tokens.add(token(ticketIds.size()));
        ticketIds.add(ticketId);
    }

    int size() {
        return ticketIds.size();
    }

    String ticketId(int room) {
        return ticketIds.get(room);
    }

    List<String> ticketIds() {
        return List.copyOf(ticketIds);
    }

    /**
     * Opens connections {@code from} (inclusive) to {@code to} (exclusive), connection {@code k} joining
     * room {@code k / 10}, at most {@code window} handshakes at once, within {@code timeoutMillis}.
     * {@code joinedCount} and {@code failures} count up as handshakes finish, for progress reports.
     *
     * @return the connections that connected and joined
     * @throws IllegalStateException if handshakes are still running at the deadline
     */
    List<BenchConnection> connectAndJoin(BenchClient client, int from, int to, int window, long timeoutMillis,
            Consumer<String> onFrame, AtomicInteger joinedCount, AtomicInteger failures)
            throws InterruptedException {
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
                                joinedCount.incrementAndGet();
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

    /** Returns a token of the customer who opened room {@code room}'s ticket, valid for six hours. */
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

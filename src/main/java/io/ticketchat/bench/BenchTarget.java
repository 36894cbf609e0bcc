package io.ticketchat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The load shape both servers get: room {@code r} is a ticket opened by customer {@code bench-customer-r},
 * and its members are connections of that customer (a customer with several tabs and devices). Customers
 * keep staff presence out of the numbers, and ten connections stay under the per-user connection limit.
 * Tickets are opened here over the REST API, and {@link BenchRooms} signs the tokens and joins the rooms.
 */
final class BenchTarget {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchServer server;
    private final BenchRooms rooms;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    BenchTarget(BenchServer server, String secret) {
        this.server = server;
        this.rooms = new BenchRooms(secret);
    }

    BenchServer server() {
        return server;
    }

    BenchRooms rooms() {
        return rooms;
    }

    String ticketId(int room) {
        return rooms.ticketId(room);
    }

    /** Returns the ticket ids of the rooms opened so far, room 0 first. */
    List<String> ticketIds() {
        return rooms.ticketIds();
    }

    /** Opens tickets until there are {@code count} rooms, one customer each, over the REST API. */
    void openTickets(int count) throws IOException, InterruptedException {
        for (int room = rooms.size(); room < count; room++) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/tickets"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + rooms.token(room))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"Bench room " + room + "\"}"))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw new IOException(server.name() + " rejected the ticket request: HTTP " + response.statusCode());
            }
            rooms.add(JSON.readTree(response.body()).path("ticket").path("_id").asText());
        }
    }

    /** Opens and joins connections as {@link BenchRooms#connectAndJoin} does, without counting joins. */
    List<BenchConnection> connectAndJoin(BenchClient client, int from, int to, int window, long timeoutMillis,
            Consumer<String> onFrame, AtomicInteger failures) throws InterruptedException {
        return rooms.connectAndJoin(client, from, to, window, timeoutMillis, onFrame, new AtomicInteger(), failures);
    }

    /** Returns the token of the customer who opened room {@code room}'s ticket. */
    String token(int room) {
        return rooms.token(room);
    }
}

package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helpers for the live-desk events: JavaScript clients on one test server, event counts per user, and
 * markers that prove earlier events have arrived.
 *
 * <p>Events from one broadcaster reach one socket in order, so once a marker event that was sent after the
 * action under test has arrived, every event caused by that action has arrived too and can be counted.
 */
final class LiveDesk {
    static final String STATUS_UPDATE = "agent_status_update";
    static final String USER_TYPING = "user_typing";
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    private final TestServer server;
    private final NodeClientDriver node;
    private final AtomicInteger helperUsers = new AtomicInteger();

    LiveDesk(TestServer server, NodeClientDriver node) {
        this.server = server;
        this.node = node;
    }

    JsSocket connect(String token) {
        JsSocket socket = node.connect(server.baseUrl(),
                JsSocket.options().websocketOnly().auth(Map.of("token", token)));
        socket.awaitConnected();
        return socket;
    }

    JsSocket connectPolling(String token) {
        JsSocket socket = node.connect(server.baseUrl(),
                JsSocket.options().pollingOnly().auth(Map.of("token", token)));
        socket.awaitConnected();
        return socket;
    }

    JsSocket connectAs(String userId, String role) {
        return connect(tokenOf(userId, role));
    }

    static String tokenOf(String userId, String role) {
        return TestServer.token(userId, role, "Name of " + userId);
    }

    /** Opens a ticket as the customer of {@code customerToken} and returns its id. */
    String openTicket(String customerToken) throws Exception {
        TestServer.Response opened = server.post("/api/tickets", customerToken, Map.of("subject", "Live desk"));
        assertThat(opened.status()).isEqualTo(201);
        return opened.body().path("ticket").path("id").asText();
    }

    /** Sends an event with an acknowledgement and returns the acknowledgement's first argument. */
    static JsonNode call(JsSocket socket, String event, Object payload) throws Exception {
        return socket.emitWithAck(event, payload).get(EVENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(0);
    }

    static JsonNode join(JsSocket socket, String ticketId) throws Exception {
        JsonNode reply = call(socket, "join_ticket", Map.of("ticketId", ticketId));
        assertThat(reply.path("ok").asBoolean()).as("join_ticket reply %s", reply).isTrue();
        return reply;
    }

    static String errorCodeOf(JsonNode reply) {
        return reply.path("error").path("code").asText();
    }

    /** Returns the first argument of every received event of this name, oldest first. */
    static List<JsonNode> payloads(JsSocket socket, String event) {
        List<JsonNode> payloads = new ArrayList<>();
        for (JsonNode args : socket.events(event)) {
            payloads.add(args.get(0));
        }
        return payloads;
    }

    /** Returns the statuses announced for one user, oldest first. */
    static List<String> statusesOf(JsSocket observer, String userId) {
        List<String> statuses = new ArrayList<>();
        for (JsonNode update : payloads(observer, STATUS_UPDATE)) {
            if (update.path("userId").asText().equals(userId)) {
                statuses.add(update.path("status").asText());
            }
        }
        return statuses;
    }

    /** Waits until {@code count} status updates of the user have arrived and returns the last one. */
    static JsonNode awaitStatusCount(JsSocket observer, String userId, int count) {
        await().atMost(EVENT_TIMEOUT).until(() -> statusesOf(observer, userId).size() >= count);
        JsonNode last = null;
        for (JsonNode update : payloads(observer, STATUS_UPDATE)) {
            if (update.path("userId").asText().equals(userId)) {
                last = update;
            }
        }
        return last;
    }

    /** Returns the {@code isTyping} values relayed for one user, oldest first. */
    static List<Boolean> typingOf(JsSocket socket, String userId) {
        List<Boolean> flags = new ArrayList<>();
        for (JsonNode event : payloads(socket, USER_TYPING)) {
            if (event.path("userId").asText().equals(userId)) {
                flags.add(event.path("isTyping").asBoolean());
            }
        }
        return flags;
    }

    static void awaitTypingCount(JsSocket socket, String userId, int count) {
        await().atMost(EVENT_TIMEOUT).until(() -> typingOf(socket, userId).size() >= count);
    }

    /**
     * Connects a new agent and waits for its {@code online} update at every observer, so that every status
     * update broadcast before it has arrived there too. Returns the marker agent's socket.
     */
    JsSocket passStatusMarker(JsSocket... observers) {
        String markerId = "marker-" + helperUsers.incrementAndGet();
        JsSocket marker = connectAs(markerId, "agent");
        for (JsSocket observer : observers) {
            awaitStatusCount(observer, markerId, 1);
        }
        return marker;
    }

    /**
     * Takes a new agent online and offline again and waits for its {@code offline} update, so that every grace
     * period that started before this call has ended and its update has arrived.
     */
    void passGrace(JsSocket observer) {
        String userId = "grace-" + helperUsers.incrementAndGet();
        JsSocket tab = connectAs(userId, "agent");
        awaitStatusCount(observer, userId, 1);
        tab.disconnect();
        JsonNode offline = awaitStatusCount(observer, userId, 2);
        assertThat(offline.path("status").asText()).isEqualTo("offline");
    }

    /** Checks that no status update received by these sockets carries anything but its four fields or an email. */
    static void assertNoEmailInStatusUpdates(JsSocket... sockets) {
        for (JsSocket socket : sockets) {
            for (JsonNode update : payloads(socket, STATUS_UPDATE)) {
                List<String> fields = new ArrayList<>();
                update.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).containsExactlyInAnyOrder("userId", "userName", "status", "timestamp");
                for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    assertThat(field.getValue().asText()).as("field %s of %s", field.getKey(), update)
                            .doesNotContain("@");
                }
            }
        }
    }

    /** Returns a server gauge as {@code /metrics} exposes it, for example {@code ticketchat.sockets}. */
    double gauge(String name) {
        return server.server().registry().get(name).gauge().value();
    }

    /** Returns the user's entry in {@code GET /api/agents}, read with a staff token. */
    JsonNode agentEntry(String userId) throws Exception {
        TestServer.Response agents = server.get("/api/agents", tokenOf("agents-reader", "admin"));
        assertThat(agents.status()).isEqualTo(200);
        for (JsonNode agent : agents.body().path("agents")) {
            if (agent.path("id").asText().equals(userId)) {
                return agent;
            }
        }
        throw new AssertionError("no agent " + userId + " in " + agents.body());
    }
}

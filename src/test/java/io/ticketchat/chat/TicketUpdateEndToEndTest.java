package io.ticketchat.chat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.testsupport.JavaSocket;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staff change tickets over {@code PATCH /api/tickets/{id}} while customers and agents watch through the official
 * Java and JavaScript clients.
 *
 * <p>Counts are exact: after the requests, each socket sends {@code leave_ticket} for a ticket it never joined and
 * waits for the acknowledgement. The server queues that acknowledgement behind every event it sent the socket
 * before, so once it arrives nothing from the requests can still be on its way.
 */
class TicketUpdateEndToEndTest {
    private static final String MARKER_TICKET = "never-joined";

    @TempDir
    Path dataDir;

    private TestServer server;
    private final List<JavaSocket> clients = new ArrayList<>();
    private final String graceToken = TestServer.token("agent-grace", "agent", "Grace");
    private final String omarToken = TestServer.token("agent-omar", "agent", "Omar");
    private String coraToken;
    private String ottoToken;
    private String coraTicket;
    private String ottoTicket;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
        coraToken = register("cora@example.test", "Cora");
        ottoToken = register("otto@example.test", "Otto");
        coraTicket = openTicket(coraToken, "Printer on fire");
        ottoTicket = openTicket(ottoToken, "Refund");
    }

    @AfterEach
    void stop() {
        clients.forEach(JavaSocket::close);
        if (server != null) {
            server.close();
        }
    }

    private String register(String email, String name) throws Exception {
        TestServer.Response response = server.post("/api/auth/register", null,
                Map.of("email", email, "password", "correct horse", "name", name));
        assertThat(response.status()).isEqualTo(201);
        return response.body().path("token").asText();
    }

    private String openTicket(String token, String subject) throws Exception {
        TestServer.Response response = server.post("/api/tickets", token, Map.of("subject", subject));
        assertThat(response.status()).isEqualTo(201);
        return response.body().path("ticket").path("id").asText();
    }

    private JavaSocket connect(String token) throws Exception {
        JavaSocket client = JavaSocket.connect(server.baseUrl(), token, "websocket");
        clients.add(client);
        return client.awaitConnected();
    }

    private JsonNode patch(String ticketId, String token, Object body) throws Exception {
        TestServer.Response response = server.patch("/api/tickets/" + ticketId, token, body);
        assertThat(response.status()).as("PATCH %s", body).isEqualTo(200);
        return response.body().path("ticket");
    }

    private static void awaitMarker(JavaSocket client) throws Exception {
        assertThat(client.call("leave_ticket", MARKER_TICKET).path("ok").asBoolean()).isTrue();
    }

    private static void awaitMarker(JsSocket client) throws Exception {
        assertThat(client.emitWithAck("leave_ticket", MARKER_TICKET).get(10, SECONDS).get(0).path("ok").asBoolean())
                .isTrue();
    }

    private static List<JsonNode> updatesOf(List<JsonNode> payloads, String ticketId) {
        return payloads.stream()
                .map(payload -> payload.path("ticket"))
                .filter(ticket -> ticket.path("id").asText().equals(ticketId))
                .toList();
    }

    private static List<String> contents(List<JsonNode> messages) {
        return messages.stream().map(message -> message.path("content").asText()).toList();
    }

    @Test
    void updateReachesEachSocketOnce() throws Exception {
        JavaSocket coraTab = connect(coraToken);
        JavaSocket grace = connect(graceToken);
        JavaSocket omar = connect(omarToken);
        JavaSocket otto = connect(ottoToken);
        assertThat(grace.call("join_ticket", coraTicket).path("ok").asBoolean()).isTrue();
        try (NodeClientDriver node = NodeClientDriver.start()) {
            JsSocket cora = node.connect(server.baseUrl(), JsSocket.options().auth(Map.of("token", coraToken)));
            cora.awaitConnected();
            JsonNode joined = cora.emitWithAck("join_ticket", Map.of("ticketId", coraTicket)).get(10, SECONDS);
            assertThat(joined.get(0).path("ok").asBoolean()).isTrue();

            JsonNode resolved = patch(coraTicket, graceToken, Map.of("status", "resolved"));
            JsonNode unchanged = patch(coraTicket, graceToken, Map.of("status", "resolved"));
            JsonNode urgent = patch(coraTicket, graceToken, Map.of("priority", "urgent"));
            patch(ottoTicket, graceToken, Map.of("status", "pending"));
            awaitMarker(cora);
            for (JavaSocket client : List.of(coraTab, grace, omar, otto)) {
                awaitMarker(client);
            }

            assertThat(resolved.path("status").asText()).isEqualTo("resolved");
            assertThat(unchanged).isEqualTo(resolved);
            assertThat(urgent.path("priority").asText()).isEqualTo("urgent");
            List<JsonNode> expectedUpdates = List.of(resolved, urgent);
            List<JsonNode> coraUpdates = cora.events("ticket_updated").stream().map(args -> args.get(0)).toList();
            assertThat(updatesOf(coraUpdates, coraTicket)).isEqualTo(expectedUpdates);
            assertThat(updatesOf(coraTab.events("ticket_updated"), coraTicket)).isEqualTo(expectedUpdates);
            assertThat(updatesOf(grace.events("ticket_updated"), coraTicket)).isEqualTo(expectedUpdates);
            assertThat(updatesOf(omar.events("ticket_updated"), coraTicket)).isEqualTo(expectedUpdates);
            assertThat(updatesOf(otto.events("ticket_updated"), coraTicket)).isEmpty();
            assertThat(coraUpdates).hasSize(2);
            assertThat(updatesOf(grace.events("ticket_updated"), ottoTicket)).hasSize(1);
            assertThat(updatesOf(omar.events("ticket_updated"), ottoTicket)).hasSize(1);
            assertThat(updatesOf(otto.events("ticket_updated"), ottoTicket)).hasSize(1);

            List<String> notes = List.of("Status changed from open to resolved by Grace",
                    "Priority changed from normal to urgent by Grace");
            List<JsonNode> coraMessages = cora.events("new_message").stream().map(args -> args.get(0)).toList();
            assertThat(contents(coraMessages)).isEqualTo(notes);
            assertThat(contents(grace.events("new_message"))).isEqualTo(notes);
            assertThat(omar.events("new_message")).isEmpty();
            assertThat(coraTab.events("new_message")).isEmpty();
            assertThat(otto.events("new_message")).isEmpty();
            JsonNode wire = grace.events("new_message").get(0);
            assertThat(wire.path("messageType").asText()).isEqualTo("system");
            assertThat(wire.path("sender").path("_id").asText()).isEqualTo("system");
            assertThat(wire.path("ticketId").asText()).isEqualTo(coraTicket);
        }

        TestServer.Response history = server.get("/api/tickets/" + coraTicket + "/messages", coraToken);
        assertThat(history.status()).isEqualTo(200);
        assertThat(contents(toList(history.body().path("messages")))).containsExactly(
                "Status changed from open to resolved by Grace", "Priority changed from normal to urgent by Grace");
        assertThat(history.body().path("messages").get(0).path("messageType").asText()).isEqualTo("system");
    }

    @Test
    void assigneeChangesAreAnnouncedByName() throws Exception {
        JavaSocket grace = connect(graceToken);
        connect(omarToken);
        assertThat(grace.call("join_ticket", coraTicket).path("ok").asBoolean()).isTrue();

        JsonNode assigned = patch(coraTicket, graceToken, Map.of("assigneeId", "agent-omar"));
        JsonNode unassigned = patch(coraTicket, graceToken, Collections.singletonMap("assigneeId", null));
        awaitMarker(grace);

        assertThat(assigned.path("assigneeId").asText()).isEqualTo("agent-omar");
        assertThat(unassigned.path("assigneeId").isNull()).isTrue();
        assertThat(contents(grace.events("new_message")))
                .containsExactly("Assigned to Omar by Grace", "Unassigned by Grace");
    }

    @Test
    void patchRejectsInvalidRequests() throws Exception {
        connect(graceToken);

        TestServer.Response byCustomer = server.patch("/api/tickets/" + coraTicket, coraToken,
                Map.of("status", "closed"));
        TestServer.Response unknown = server.patch("/api/tickets/no-such-ticket", graceToken,
                Map.of("status", "closed"));
        TestServer.Response empty = server.patch("/api/tickets/" + coraTicket, graceToken, Map.of());
        TestServer.Response unknownField = server.patch("/api/tickets/" + coraTicket, graceToken,
                Map.of("subject", "Renamed"));
        TestServer.Response unknownAssignee = server.patch("/api/tickets/" + coraTicket, graceToken,
                Map.of("assigneeId", "nobody"));
        TestServer.Response notJson = server.patch("/api/tickets/" + coraTicket, graceToken, "{status:");
        TestServer.Response noToken = server.patch("/api/tickets/" + coraTicket, null, Map.of("status", "closed"));

        assertError(byCustomer, 403, "forbidden");
        assertError(unknown, 404, "ticket_not_found");
        assertError(empty, 400, "invalid_request");
        assertError(unknownField, 400, "invalid_request");
        assertError(unknownAssignee, 400, "invalid_request");
        assertError(notJson, 400, "invalid_request");
        assertError(noToken, 401, "unauthorized");
        TestServer.Response ticket = server.get("/api/tickets/" + coraTicket, coraToken);
        assertThat(ticket.body().path("ticket").path("status").asText()).isEqualTo("open");
    }

    @Test
    void closedTicketRejectsCustomerUntilReopened() throws Exception {
        JavaSocket cora = connect(coraToken);
        assertThat(cora.call("join_ticket", coraTicket).path("ok").asBoolean()).isTrue();
        patch(coraTicket, graceToken, Map.of("status", "closed"));

        JsonNode socketSend = cora.call("send_message", Map.of("ticketId", coraTicket, "content", "Hello?"));
        TestServer.Response restSend = server.post("/api/tickets/" + coraTicket + "/messages", coraToken,
                Map.of("content", "Hello?"));
        patch(coraTicket, graceToken, Map.of("status", "open"));
        JsonNode socketRetry = cora.call("send_message", Map.of("ticketId", coraTicket, "content", "Back again"));
        TestServer.Response restRetry = server.post("/api/tickets/" + coraTicket + "/messages", coraToken,
                Map.of("content", "Back via REST"));

        assertThat(socketSend.path("ok").asBoolean()).isFalse();
        assertThat(socketSend.path("error").path("code").asText()).isEqualTo("forbidden");
        assertError(restSend, 403, "forbidden");
        assertThat(socketRetry.path("ok").asBoolean()).isTrue();
        assertThat(restRetry.status()).isEqualTo(201);
        TestServer.Response history = server.get("/api/tickets/" + coraTicket + "/messages", coraToken);
        assertThat(contents(toList(history.body().path("messages")))).containsExactly(
                "Status changed from open to closed by Grace", "Status changed from closed to open by Grace",
                "Back again", "Back via REST");
    }

    private static void assertError(TestServer.Response response, int status, String code) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().path("error").path("code").asText()).isEqualTo(code);
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}

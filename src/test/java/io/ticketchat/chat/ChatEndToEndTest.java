package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.testsupport.JavaSocket;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A customer and an agent chat through the official Java and JavaScript clients, and the history survives a
 * restart on the same SQLite file.
 */
class ChatEndToEndTest {
    @TempDir
    Path dataDir;

    private TestServer server;
    private final List<JavaSocket> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(JavaSocket::close);
        if (server != null) {
            server.close();
        }
    }

    private JavaSocket connect(String token, String... transports) throws Exception {
        JavaSocket client = JavaSocket.connect(server.baseUrl(), token, transports);
        clients.add(client);
        return client.awaitConnected();
    }

    @Test
    void chatWorksLiveAndAfterRestart() throws Exception {
        server = TestServer.start(dataDir);
        TestServer.Response registered = server.post("/api/auth/register", null,
                Map.of("email", "ada@example.test", "password", "correct horse", "name", "Ada"));
        assertThat(registered.status()).isEqualTo(201);
        String customerToken = registered.body().path("token").asText();
        TestServer.Response opened = server.post("/api/tickets", customerToken,
                Map.of("subject", "Printer on fire", "description", "It smells of toast"));
        assertThat(opened.status()).isEqualTo(201);
        String ticketId = opened.body().path("ticket").path("id").asText();
        String agentToken = TestServer.token("agent-7", "agent", "Grace");

        JavaSocket customer = connect(customerToken, "websocket");
        JavaSocket agentTab1 = connect(agentToken, "polling");
        JavaSocket agentTab2 = connect(agentToken);
        assertThat(customer.call("join_ticket", Map.of("ticketId", ticketId)).path("ok").asBoolean()).isTrue();
        assertThat(agentTab1.call("join_ticket", ticketId).path("ok").asBoolean()).isTrue();
        JsonNode secondJoin = agentTab2.call("join_ticket", Map.of("ticketId", ticketId));

        assertThat(secondJoin.path("activeUsers")).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> lastActiveUsers(customer).size() == 2);
        assertThat(lastActiveUsers(customer)).extracting(user -> user.path("userName").asText())
                .containsExactlyInAnyOrder("Ada", "Grace");

        JsonNode customerSent = customer.call("send_message",
                Map.of("ticketId", ticketId, "content", "Hello, the printer is on fire", "clientMessageId", "c-1"));
        JsonNode agentSent = agentTab1.call("send_message",
                Map.of("ticketId", ticketId, "content", "On my way with a bucket"));

        assertThat(customerSent.path("ok").asBoolean()).isTrue();
        assertThat(agentSent.path("ok").asBoolean()).isTrue();
        for (JavaSocket client : List.of(customer, agentTab1, agentTab2)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> client.events("new_message").size() == 2);
            assertThat(client.events("new_message")).extracting(message -> message.path("content").asText())
                    .containsExactly("Hello, the printer is on fire", "On my way with a bucket");
        }
        JsonNode wire = agentTab2.events("new_message").get(0);
        assertThat(wire.path("_id").asText()).isEqualTo(customerSent.path("message").path("_id").asText());
        assertThat(wire.path("ticketId").asText()).isEqualTo(ticketId);
        assertThat(wire.path("chatId").asText()).isEqualTo(ticketId);
        assertThat(wire.path("sender").path("name").asText()).isEqualTo("Ada");
        assertThat(wire.path("sender").path("role").asText()).isEqualTo("customer");
        assertThat(wire.path("messageType").asText()).isEqualTo("text");
        assertThat(wire.path("clientMessageId").asText()).isEqualTo("c-1");
        assertThat(wire.path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        clients.forEach(JavaSocket::close);
        clients.clear();
        server = server.restart();

        JavaSocket agentAgain = connect(agentToken, "websocket");
        JsonNode history = agentAgain.call("get_ticket_messages", Map.of("ticketId", ticketId));
        assertThat(history.path("ok").asBoolean()).isTrue();
        assertThat(history.path("hasMore").asBoolean()).isFalse();
        assertThat(history.path("messages")).extracting(message -> message.path("content").asText())
                .containsExactly("Hello, the printer is on fire", "On my way with a bucket");
        TestServer.Response restHistory = server.get("/api/tickets/" + ticketId + "/messages", customerToken);
        assertThat(restHistory.status()).isEqualTo(200);
        assertThat(restHistory.body().path("messages")).hasSize(2);
    }

    @Test
    void javaScriptClientChatsWithJavaClient() throws Exception {
        server = TestServer.start(dataDir);
        String customerToken = server.post("/api/auth/register", null,
                Map.of("email", "lin@example.test", "password", "long enough", "name", "Lin"))
                .body().path("token").asText();
        String ticketId = server.post("/api/tickets", customerToken, Map.of("subject", "Refund"))
                .body().path("ticket").path("id").asText();
        JavaSocket agent = connect(TestServer.token("agent-9", "agent", "Omar"), "websocket");

        try (NodeClientDriver node = NodeClientDriver.start()) {
            JsSocket customer = node.connect(server.baseUrl(), JsSocket.options().auth(Map.of("token", customerToken)));
            customer.awaitConnected();
            JsonNode joined = customer.emitWithAck("join_ticket", Map.of("ticketId", ticketId)).get(10, SECONDS);
            agent.call("join_ticket", ticketId);
            JsonNode sent = customer.emitWithAck("send_message",
                    Map.of("ticketId", ticketId, "content", "Où est mon remboursement ? 💸", "clientMessageId", "r-1"))
                    .get(10, SECONDS);
            agent.call("send_message", Map.of("ticketId", ticketId, "content", "Sent today"));

            assertThat(joined.get(0).path("ok").asBoolean()).isTrue();
            assertThat(sent.get(0).path("message").path("content").asText()).isEqualTo("Où est mon remboursement ? 💸");
            customer.awaitEvent("active_users", args -> args.get(0).path("users").size() == 2);
            customer.awaitEvent("new_message", args -> args.get(0).path("content").asText().equals("Sent today"));
            await().atMost(Duration.ofSeconds(5)).until(() -> agent.events("new_message").size() == 2);
            assertThat(agent.events("new_message").get(0).path("clientMessageId").asText()).isEqualTo("r-1");
            assertThat(customer.events("new_message")).hasSize(2);
        }
    }

    private static List<JsonNode> lastActiveUsers(JavaSocket client) {
        List<JsonNode> events = client.events("active_users");
        if (events.isEmpty()) {
            return List.of();
        }
        List<JsonNode> users = new ArrayList<>();
        events.get(events.size() - 1).path("users").forEach(users::add);
        return users;
    }
}

package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handshake, visibility and idempotency promises of the client contract, checked against a real server
 * with the official JavaScript client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatContractTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String UNKNOWN_TICKET = "00000000-0000-0000-0000-000000000000";

    @TempDir
    static Path dataDir;

    private TestServer server;
    private NodeClientDriver node;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(dataDir);
        node = NodeClientDriver.start();
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private JsSocket connect(JsSocket.Options options) {
        return node.connect(server.baseUrl() + "/", options.websocketOnly());
    }

    private JsSocket connectWithToken(String token) {
        JsSocket socket = connect(JsSocket.options().auth(Map.of("token", token)));
        socket.awaitConnected();
        return socket;
    }

    private String openTicket(String token) throws Exception {
        TestServer.Response opened = server.post("/api/tickets", token,
                Map.of("subject", "Printer on fire", "description", "It smells of toast"));
        assertThat(opened.status()).isEqualTo(201);
        return opened.body().path("ticket").path("id").asText();
    }

    private static JsonNode call(JsSocket socket, String event, Object payload) throws Exception {
        return socket.emitWithAck(event, payload).get(10, TimeUnit.SECONDS).get(0);
    }

    private void awaitNoServerState() {
        Namespace root = server.server().socketIo().namespace("/");
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            assertThat(server.server().socketIo().engineSessionCount()).isZero();
            assertThat(root.socketCount()).isZero();
            assertThat(root.roomCount()).isZero();
            assertThat(root.membershipCount()).isZero();
        });
    }

    static Stream<Arguments> refusedHandshakes() {
        String valid = TestServer.token("customer-h", "customer", "Hana");
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims = base64Url("{\"sub\":\"customer-h\",\"role\":\"admin\",\"name\":\"Hana\",\"exp\":"
                + Instant.now().plusSeconds(3600).getEpochSecond() + "}");
        return Stream.of(
                Arguments.of("no auth", JsSocket.options()),
                Arguments.of("empty token", JsSocket.options().auth(Map.of("token", ""))),
                Arguments.of("number token", JsSocket.options().auth(Map.of("token", 5))),
                Arguments.of("malformed token", JsSocket.options().auth(Map.of("token", "not.a.jwt"))),
                Arguments.of("wrong signature", JsSocket.options().auth(Map.of("token",
                        valid.substring(0, valid.lastIndexOf('.') + 1) + "c2lnbmF0dXJl"))),
                Arguments.of("expired", JsSocket.options().auth(Map.of("token",
                        TestServer.token("customer-h", "customer", "Hana", Duration.ofMinutes(-1))))),
                Arguments.of("alg none", JsSocket.options().auth(Map.of("token", header + "." + claims + "."))),
                Arguments.of("unknown role", JsSocket.options().auth(Map.of("token",
                        TestServer.token("customer-h", "superuser", "Hana")))),
                Arguments.of("bad query token", JsSocket.options().query(Map.of("token", "not.a.jwt"))));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedHandshakes")
    void refusedHandshakeLeavesNoServerState(String name, JsSocket.Options options) {
        JsSocket socket = connect(options);

        JsonNode error = socket.awaitConnectError();

        assertThat(error.path("message").asText()).isEqualTo("unauthorized");
        assertThat(socket.isConnected()).isFalse();
        awaitNoServerState();
    }

    @Test
    void acceptsTokenInQueryParameter() throws Exception {
        String token = TestServer.token("customer-q", "customer", "Quinn");
        JsSocket socket = connect(JsSocket.options().query(Map.of("token", token)));

        socket.awaitConnected();

        assertThat(call(socket, "join_ticket", UNKNOWN_TICKET).path("error").path("code").asText())
                .isEqualTo("ticket_not_found");
        socket.disconnect();
        awaitNoServerState();
    }

    @Test
    void disconnectsConnectionWhenTokenExpires() {
        JsSocket socket = connectWithToken(
                TestServer.token("customer-e", "customer", "Eve", Duration.ofSeconds(3)));

        String reason = socket.awaitDisconnect();

        assertThat(reason).isEqualTo("io server disconnect");
        awaitNoServerState();
    }

    @Test
    void otherCustomersTicketLooksUnknown() throws Exception {
        String ownerToken = TestServer.token("customer-owner", "customer", "Olga");
        String strangerToken = TestServer.token("customer-stranger", "customer", "Sam");
        String ticketId = openTicket(ownerToken);
        server.post("/api/tickets/" + ticketId + "/messages", ownerToken, Map.of("content", "private"));
        JsSocket stranger = connectWithToken(strangerToken);

        for (String event : List.of("join_ticket", "get_ticket_messages")) {
            JsonNode hidden = call(stranger, event, ticketId);
            JsonNode unknown = call(stranger, event, UNKNOWN_TICKET);
            assertThat(hidden.path("error").path("code").asText()).isEqualTo("ticket_not_found");
            assertThat(hidden).isEqualTo(unknown);
        }
        JsonNode hiddenSend = call(stranger, "send_message", Map.of("ticketId", ticketId, "content", "hi"));
        JsonNode unknownSend = call(stranger, "send_message", Map.of("ticketId", UNKNOWN_TICKET, "content", "hi"));
        assertThat(hiddenSend.path("error").path("code").asText()).isEqualTo("ticket_not_found");
        assertThat(hiddenSend).isEqualTo(unknownSend);
        for (String suffix : List.of("", "/messages")) {
            TestServer.Response hidden = server.get("/api/tickets/" + ticketId + suffix, strangerToken);
            TestServer.Response unknown = server.get("/api/tickets/" + UNKNOWN_TICKET + suffix, strangerToken);
            assertThat(hidden.status()).isEqualTo(404);
            assertThat(hidden.body().path("error").path("code").asText()).isEqualTo("ticket_not_found");
            assertThat(hidden.body()).isEqualTo(unknown.body());
        }
        TestServer.Response hiddenPost = server.post("/api/tickets/" + ticketId + "/messages", strangerToken,
                Map.of("content", "hi"));
        TestServer.Response unknownPost = server.post("/api/tickets/" + UNKNOWN_TICKET + "/messages",
                strangerToken, Map.of("content", "hi"));
        assertThat(hiddenPost.status()).isEqualTo(404);
        assertThat(hiddenPost.body()).isEqualTo(unknownPost.body());
        assertThat(server.get("/api/tickets/" + ticketId + "/messages", ownerToken).body().path("messages"))
                .hasSize(1);
        stranger.disconnect();
    }

    @Test
    void concurrentRetriesFromTwoTabsStoreOneMessage() throws Exception {
        String token = TestServer.token("customer-tabs", "customer", "Tia");
        String ticketId = openTicket(token);
        JsSocket tab1 = connectWithToken(token);
        JsSocket tab2 = connectWithToken(token);
        JsSocket agent = connectWithToken(TestServer.token("agent-tabs", "agent", "Grace"));
        assertThat(call(agent, "join_ticket", ticketId).path("ok").asBoolean()).isTrue();
        Map<String, Object> message = Map.of("ticketId", ticketId, "content", "once", "clientMessageId", "c-1");
        assertThat(call(tab1, "send_message", message).path("ok").asBoolean()).isTrue();

        List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add((i % 2 == 0 ? tab1 : tab2).emitWithAck("send_message", message));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<JsonNode> reply : replies) {
            JsonNode ack = reply.get(10, TimeUnit.SECONDS).get(0);
            assertThat(ack.path("ok").asBoolean()).as(ack.toString()).isTrue();
            ids.add(ack.path("message").path("_id").asText());
        }
        assertThat(call(tab2, "send_message", Map.of("ticketId", ticketId, "content", "after")).path("ok")
                .asBoolean()).isTrue();
        agent.awaitEvent("new_message", args -> args.get(0).path("content").asText().equals("after"));

        assertThat(ids).hasSize(1);
        assertThat(agent.events("new_message")).extracting(args -> args.get(0).path("content").asText())
                .containsExactly("once", "after");
        assertThat(agent.events("new_message").get(0).get(0).path("_id").asText()).isEqualTo(ids.iterator().next());
        JsonNode history = server.get("/api/tickets/" + ticketId + "/messages", token).body().path("messages");
        assertThat(history).extracting(stored -> stored.path("content").asText()).containsExactly("once", "after");
        for (JsSocket socket : List.of(tab1, tab2, agent)) {
            socket.disconnect();
        }
    }
}

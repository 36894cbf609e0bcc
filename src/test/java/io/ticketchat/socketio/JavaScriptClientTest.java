package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JavaScriptClientTest {
    private static NodeClientDriver node;
    private TestServer server;

    @BeforeAll
    static void startNode() {
        node = NodeClientDriver.start();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.withEchoHandlers(
                TestServer.FAST.withHeartbeat(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsSocket.Options options(String transports) {
        JsSocket.Options options = JsSocket.options().auth(Map.of("token", "js"));
        return switch (transports) {
            case "websocket" -> options.websocketOnly();
            case "polling" -> options.pollingOnly();
            default -> options;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "default"})
    void exchangesEventsAndAcksBothWays(String transports) throws Exception {
        CompletableFuture<JsonNode> serverAck = new CompletableFuture<>();
        server.socketIo.namespace("/").onConnection(s -> s.on("ask-me", (sock, args, ack) -> sock.emitWithAck(
                "question", new Object[] {args.get(0)}, Duration.ofSeconds(5),
                (error, reply) -> serverAck.complete(reply))));
        JsSocket socket = node.connect(server.httpUrl("/"), options(transports));
        socket.replyToAcks("question", Map.of("answer", 42));

        socket.awaitConnected();

        assertThat(socket.awaitEvent("auth", args -> true).get(0).get("token").asText()).isEqualTo("js");
        socket.emit("message", "hello", new byte[] {7, 8});
        JsonNode echoed = socket.awaitEvent("message-back", args -> true);
        assertThat(echoed.get(0).asText()).isEqualTo("hello");
        assertThat(echoed.get(1).get("_binary").asText()).isEqualTo("Bwg=");
        JsonNode ack = socket.emitWithAck("message-with-ack", 1, "two").get(5, TimeUnit.SECONDS);
        assertThat(ack.toString()).isEqualTo("[1,\"two\"]");
        socket.emit("ask-me", "q");
        assertThat(serverAck.get(5, TimeUnit.SECONDS).toString()).isEqualTo("[{\"answer\":42}]");
        if ("default".equals(transports)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> "websocket".equals(socket.transport()));
        }

        socket.disconnect();

        await().atMost(Duration.ofSeconds(5)).until(() -> server.socketIo.engineSessionCount() == 0);
        assertThat(server.socketIo.namespace("/").socketCount()).isZero();
    }

    @Test
    void rejectedConnectShowsMessageAndData() {
        server.socketIo.namespace("/guarded").use((handshake, callback) ->
                callback.reject("unauthorized", Map.of("code", "unauthorized")));

        JsSocket socket = node.connect(server.httpUrl("/guarded"), options("websocket"));

        JsonNode error = socket.awaitConnectError();
        assertThat(error.get("message").asText()).isEqualTo("unauthorized");
        assertThat(error.get("data").get("code").asText()).isEqualTo("unauthorized");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.socketIo.engineSessionCount() == 0);
    }

    @Test
    void unknownNamespaceShowsInvalidNamespace() {
        JsSocket socket = node.connect(server.httpUrl("/nowhere"), options("polling"));

        assertThat(socket.awaitConnectError().get("message").asText()).isEqualTo("Invalid namespace");
    }

    @Test
    void serverDisconnectReachesClient() {
        server.socketIo.namespace("/").onConnection(s -> s.on("kick", (sock, args, ack) -> sock.disconnect(true)));
        JsSocket socket = node.connect(server.httpUrl("/"), options("polling"));
        socket.awaitConnected();

        socket.emit("kick");

        assertThat(socket.awaitDisconnect()).isEqualTo("io server disconnect");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.socketIo.engineSessionCount() == 0);
    }

    @Test
    void abruptTransportCloseReleasesServerState() {
        server.socketIo.namespace("/").onConnection(s -> s.join("ticket:1"));
        JsSocket socket = node.connect(server.httpUrl("/"), options("websocket"));
        socket.awaitConnected();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.socketIo.namespace("/").membershipCount() == 1);

        socket.closeEngine();

        await().atMost(Duration.ofSeconds(5)).until(() -> server.socketIo.engineSessionCount() == 0);
        assertThat(server.socketIo.namespace("/").roomCount()).isZero();
        assertThat(server.socketIo.namespace("/").membershipCount()).isZero();
    }
}

package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JavaClientTest {
    private TestServer server;
    private Socket client;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.withEchoHandlers(
                TestServer.FAST.withHeartbeat(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private Socket connect(String transports) {
        var options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setAuth(Map.of("token", "java"));
        if ("websocket".equals(transports)) {
            options.setTransports(new String[] {WebSocket.NAME});
        } else if ("polling".equals(transports)) {
            options.setTransports(new String[] {Polling.NAME});
        }
        return IO.socket(URI.create(server.httpUrl("/")), options.build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling", "default"})
    void connectsAndExchangesEventsAndAcks(String transports) throws Exception {
        client = connect(transports);
        CompletableFuture<Object> auth = new CompletableFuture<>();
        CompletableFuture<Object> echoed = new CompletableFuture<>();
        client.on("auth", args -> auth.complete(args[0]));
        client.on("message-back", args -> echoed.complete(args[1]));

        client.connect();

        assertThat(((JSONObject) auth.get(5, TimeUnit.SECONDS)).getString("token")).isEqualTo("java");
        client.emit("message", "text", new byte[] {1, 2});
        assertThat((byte[]) echoed.get(5, TimeUnit.SECONDS)).containsExactly(1, 2);
        CompletableFuture<Object> ack = new CompletableFuture<>();
        client.emit("message-with-ack", new Object[] {"a", 1}, args -> ack.complete(args[1]));
        assertThat(ack.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        if ("default".equals(transports)) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> transportOfOnlySocket().equals("websocket"));
        }

        client.disconnect();

        await().atMost(Duration.ofSeconds(5)).until(() -> server.socketIo.engineSessionCount() == 0);
        assertThat(server.socketIo.namespace("/").socketCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void serverAckRequestIsAnswered(String transports) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        server.socketIo.namespace("/").onConnection(s -> s.emitWithAck("ask", new Object[] {"q"}, Duration.ofSeconds(5),
                (error, args) -> reply.complete(error != null ? "error" : args.get(0).asText())));
        client = connect(transports);
        client.on("ask", args -> ((io.socket.client.Ack) args[args.length - 1]).call("yes"));

        client.connect();

        assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("yes");
    }

    private String transportOfOnlySocket() {
        return server.socketIo.namespace("/").socketCount() == 1
                ? server.socketIo.namespace("/").connectedSockets().iterator().next().transportName()
                : "";
    }
}

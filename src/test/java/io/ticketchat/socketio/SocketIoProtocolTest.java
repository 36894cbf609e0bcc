package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ticketchat.testsupport.RawWebSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SocketIoProtocolTest {
    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.withEchoHandlers(
                TestServer.FAST.withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawWebSocket openEngine() throws InterruptedException {
        RawWebSocket socket = RawWebSocket.open(http, server.wsUrl("/socket.io/?EIO=4&transport=websocket"));
        assertThat(socket.nextText()).startsWith("0{");
        return socket;
    }

    private RawWebSocket connectMain() throws InterruptedException {
        RawWebSocket socket = openEngine();
        socket.send("40");
        assertThat(socket.nextText()).startsWith("40{\"sid\":");
        assertThat(socket.nextText()).isEqualTo("42[\"auth\",{}]");
        return socket;
    }

    private void awaitReleased() {
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(server.socketIo.engineSessionCount()).isZero();
            for (String name : List.of("/", "/custom")) {
                Namespace namespace = server.socketIo.namespace(name);
                assertThat(namespace.socketCount()).isZero();
                assertThat(namespace.roomCount()).isZero();
                assertThat(namespace.membershipCount()).isZero();
            }
        });
    }

    @Nested
    class Connect {
        @Test
        void connectPassesAuthPayload() throws Exception {
            RawWebSocket socket = openEngine();

            socket.send("40/custom,{\"token\":\"abc\"}");

            assertThat(socket.nextText()).startsWith("40/custom,{\"sid\":");
            assertThat(socket.nextText()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
            socket.close();
        }

        @Test
        void unknownNamespaceGetsConnectError() throws Exception {
            RawWebSocket socket = openEngine();

            socket.send("40/random");

            assertThat(socket.nextText()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
            socket.close();
        }

        @Test
        void rejectingMiddlewareSendsConnectErrorAndClosesSession() throws Exception {
            server.socketIo.namespace("/guarded").use((handshake, callback) -> callback.reject(
                    "unauthorized", Map.of("code", "unauthorized")));
            RawWebSocket socket = openEngine();

            socket.send("40/guarded,{\"token\":\"bad\"}");

            assertThat(socket.nextText())
                    .isEqualTo("44/guarded,{\"message\":\"unauthorized\",\"data\":{\"code\":\"unauthorized\"}}");
            socket.closed().get(3, TimeUnit.SECONDS);
            awaitReleased();
        }

        @Test
        void asyncMiddlewareAttachmentReachesSocket() throws Exception {
            AtomicReference<Object> attachment = new AtomicReference<>();
            Namespace namespace = server.socketIo.namespace("/async");
            namespace.use((handshake, callback) -> CompletableFuture.runAsync(
                    () -> callback.accept(handshake.auth().path("token").asText())));
            namespace.onConnection(socket -> attachment.set(socket.attachment()));
            RawWebSocket socket = openEngine();

            socket.send("40/async,{\"token\":\"t1\"}");

            assertThat(socket.nextText()).startsWith("40/async,{\"sid\":");
            await().atMost(Duration.ofSeconds(2)).until(() -> "t1".equals(attachment.get()));
            socket.close();
        }

        @Test
        void invalidHandshakeClosesConnection() throws Exception {
            RawWebSocket socket = openEngine();

            socket.send("4abc");

            socket.closed().get(3, TimeUnit.SECONDS);
            awaitReleased();
        }

        @Test
        void connectionWithoutConnectIsClosedAfterTimeout() throws Exception {
            RawWebSocket socket = openEngine();

            socket.closed().get(4, TimeUnit.SECONDS);
            awaitReleased();
        }
    }

    @Nested
    class Events {
        @Test
        void eventIsEchoed() throws Exception {
            RawWebSocket socket = connectMain();

            socket.send("42[\"message\",1,\"2\",{\"3\":[true]}]");

            assertThat(socket.nextNonPing()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
            socket.close();
        }

        @Test
        void clientAckIsAnswered() throws Exception {
            RawWebSocket socket = connectMain();

            socket.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

            assertThat(socket.nextNonPing()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
            socket.close();
        }

        @Test
        void binaryEventAndAckKeepAttachments() throws Exception {
            RawWebSocket socket = connectMain();

            socket.send("452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},"
                    + "{\"_placeholder\":true,\"num\":1}]");
            socket.send(new byte[] {1, 2, 3});
            socket.send(new byte[] {4, 5, 6});

            assertThat(socket.nextNonPing())
                    .isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat((byte[]) socket.nextNonPing()).containsExactly(1, 2, 3);
            assertThat((byte[]) socket.nextNonPing()).containsExactly(4, 5, 6);
            socket.close();
        }

        @Test
        void serverAckRequestReceivesClientAnswer() throws Exception {
            CompletableFuture<ArrayNode> reply = new CompletableFuture<>();
            server.socketIo.namespace("/asks").onConnection(s -> s.emitWithAck(
                    "question", new Object[] {"q", new byte[] {9}}, Duration.ofSeconds(5),
                    (error, args) -> reply.complete(args)));
            RawWebSocket socket = openEngine();
            socket.send("40/asks");
            socket.nextText();

            assertThat(socket.nextText())
                    .isEqualTo("451-/asks,0[\"question\",\"q\",{\"_placeholder\":true,\"num\":0}]");
            assertThat((byte[]) socket.next()).containsExactly(9);
            socket.send("43/asks,0[\"answer\"]");

            assertThat(reply.get(3, TimeUnit.SECONDS).get(0).asText()).isEqualTo("answer");
            socket.close();
        }

        @Test
        void serverAckRequestFailsOnDisconnect() throws Exception {
            CompletableFuture<AckException> failure = new CompletableFuture<>();
            server.socketIo.namespace("/asks").onConnection(s -> s.emitWithAck(
                    "question", new Object[0], Duration.ofSeconds(30), (error, args) -> failure.complete(error)));
            RawWebSocket socket = openEngine();
            socket.send("40/asks");
            socket.nextText();
            socket.nextText();

            socket.send("41/asks");

            assertThat(failure.get(3, TimeUnit.SECONDS)).hasMessage("socket disconnected");
            socket.close();
        }

        @Test
        void tooManyAttachmentsCloseConnection() throws Exception {
            RawWebSocket socket = connectMain();

            socket.send("4511-[\"message\"]");

            socket.closed().get(3, TimeUnit.SECONDS);
            awaitReleased();
        }

        @Test
        void invalidPayloadsCloseConnection() throws Exception {
            for (String packet : List.of("42{}", "42abc[\"message\"]", "4abc", "43[]")) {
                RawWebSocket socket = connectMain();

                socket.send(packet);

                socket.closed().get(3, TimeUnit.SECONDS);
            }
            awaitReleased();
        }

        @Test
        void failingListenerKeepsConnectionOpen() throws Exception {
            server.socketIo.namespace("/").onConnection(s -> s.on("boom", (sock, args, ack) -> {
                throw new IllegalStateException("listener bug");
            }));
            RawWebSocket socket = connectMain();

            socket.send("42[\"boom\"]");
            socket.send("42[\"message\",\"still here\"]");

            assertThat(socket.nextNonPing()).isEqualTo("42[\"message-back\",\"still here\"]");
            socket.close();
        }
    }

    @Nested
    class Disconnect {
        @Test
        void clientDisconnectReleasesRoomsAndState() throws Exception {
            List<String> reasons = new CopyOnWriteArrayList<>();
            server.socketIo.namespace("/").onConnection(s -> {
                s.join("ticket:1");
                s.join("user:7");
                s.onDisconnect(reasons::add);
            });
            RawWebSocket socket = connectMain();
            await().atMost(Duration.ofSeconds(2)).until(() -> server.socketIo.namespace("/").membershipCount() == 2);

            socket.send("41");

            await().atMost(Duration.ofSeconds(2)).until(() -> reasons.equals(List.of("client namespace disconnect")));
            assertThat(server.socketIo.namespace("/").roomCount()).isZero();
            assertThat(server.socketIo.namespace("/").socketCount()).isZero();
            socket.close();
            awaitReleased();
        }

        @Test
        void transportCloseRunsDisconnectListenerOnce() throws Exception {
            List<String> reasons = new CopyOnWriteArrayList<>();
            server.socketIo.namespace("/").onConnection(s -> {
                s.join("ticket:1");
                s.onDisconnect(reasons::add);
            });
            RawWebSocket socket = connectMain();

            socket.close();

            awaitReleased();
            assertThat(reasons).containsExactly("transport close");
        }

        @Test
        void serverDisconnectSendsDisconnectPacket() throws Exception {
            server.socketIo.namespace("/").onConnection(s -> s.on("leave", (sock, args, ack) -> sock.disconnect(true)));
            RawWebSocket socket = connectMain();

            socket.send("42[\"leave\"]");

            assertThat(socket.nextNonPing()).isEqualTo("41");
            socket.closed().get(3, TimeUnit.SECONDS);
            awaitReleased();
        }

        @Test
        void broadcastReachesRoomMembersExceptSender() throws Exception {
            server.socketIo.namespace("/").onConnection(s -> {
                s.join("ticket:1");
                s.on("say", (sock, args, ack) -> sock.namespace().to("ticket:1").except(sock).emit("said", args));
            });
            RawWebSocket first = connectMain();
            RawWebSocket second = connectMain();
            await().atMost(Duration.ofSeconds(2))
                    .until(() -> server.socketIo.namespace("/").socketsIn("ticket:1").size() == 2);

            first.send("42[\"say\",\"hi\"]");

            assertThat(second.nextNonPing()).isEqualTo("42[\"said\",[\"hi\"]]");
            first.send("42[\"message\",\"x\"]");
            assertThat(first.nextNonPing()).isEqualTo("42[\"message-back\",\"x\"]");
            first.close();
            second.close();
            awaitReleased();
        }
    }
}

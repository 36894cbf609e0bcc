package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.ticketchat.TicketChatServer;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketAuditTest {
    @TempDir
    Path dataDir;

    @Test
    void auditReleasesStaleSocketMembershipAndRoom() throws Exception {
        try (TestServer server = TestServer.start(dataDir); NodeClientDriver node = NodeClientDriver.start()) {
            TicketChatServer chat = server.server();
            Namespace namespace = chat.socketIo().namespace("/");
            JsSocket stuck = connect(node, server, "stuck-customer");
            JsSocket gone = connect(node, server, "gone-customer");
            SocketIoSocket stuckSocket = socketOf(namespace, stuck.awaitConnected());
            SocketIoSocket goneSocket = socketOf(namespace, gone.awaitConnected());
            gone.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> !goneSocket.isConnected());
            stuckSocket.eventLoop().submit(stuckSocket::markDisconnectedForTest).get();
            namespace.adapter().join(goneSocket, "ticket:planted");
            ((InMemoryRoomAdapter) namespace.adapter()).plantEmptyRoomForTest("ticket:empty");

            int repaired = chat.audit().runNow();

            assertThat(repaired).isEqualTo(4);
            assertThat(repairs(chat, "socket")).isEqualTo(1);
            assertThat(repairs(chat, "connection_count")).as("count of the socket whose close never ran")
                    .isEqualTo(1);
            assertThat(repairs(chat, "room_membership")).isEqualTo(1);
            assertThat(repairs(chat, "empty_room")).isEqualTo(1);
            assertThat(namespace.socketCount()).isZero();
            assertThat(namespace.membershipCount()).isZero();
            assertThat(namespace.roomCount()).isZero();
        }
    }

    private static JsSocket connect(NodeClientDriver node, TestServer server, String userId) {
        return node.connect(server.baseUrl(), JsSocket.options().websocketOnly()
                .auth(Map.of("token", TestServer.token(userId, "customer", "Name of " + userId))));
    }

    private static SocketIoSocket socketOf(Namespace namespace, String socketId) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> namespace.sockets().stream().anyMatch(socket -> socket.id().equals(socketId)));
        return namespace.sockets().stream().filter(socket -> socket.id().equals(socketId)).findFirst().orElseThrow();
    }

    private static double repairs(TicketChatServer chat, String kind) {
        Counter counter = chat.registry().get(StateAudit.REPAIRS_METRIC).tag("kind", kind).counter();
        return counter.count();
    }
}

package io.ticketchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import io.ticketchat.user.User;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedUserTest {
    @TempDir
    Path dataDir;

    @Test
    void connectionsOfOneUserShareUser() throws Exception {
        try (TestServer server = TestServer.start(dataDir); NodeClientDriver node = NodeClientDriver.start()) {
            LiveDesk desk = new LiveDesk(server, node);
            Namespace namespace = server.server().socketIo().namespace("/");
            desk.connectAs("tabs-customer", "customer");
            desk.connectAs("tabs-customer", "customer");
            desk.connectAs("other-customer", "customer");

            await().atMost(Duration.ofSeconds(10)).until(() -> usersOf(namespace, "tabs-customer").size() == 2
                    && usersOf(namespace, "other-customer").size() == 1);
            List<User> tabs = usersOf(namespace, "tabs-customer");
            User other = usersOf(namespace, "other-customer").get(0);

            assertThat(tabs.get(0)).isSameAs(tabs.get(1));
            assertThat(other).isNotSameAs(tabs.get(0));
        }
    }

    /** Returns the users of the connections whose listeners ran, found through the user's room. */
    private static List<User> usersOf(Namespace namespace, String userId) {
        return namespace.socketsIn(ChatGateway.userRoom(userId)).stream()
                .map(SocketIoSocket::<ClientConnection>attachment)
                .map(ClientConnection::user)
                .toList();
    }
}

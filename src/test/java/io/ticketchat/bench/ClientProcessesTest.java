package io.ticketchat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ticketchat.socketio.Namespace;
import io.ticketchat.testsupport.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientProcessesTest {
    private static final Duration HOLD_LIMIT = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    @Test
    void twoProcessesJoinEveryIdleConnection() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            BenchTarget target = new BenchTarget(new InProcessServer(server), TestServer.SECRET);
            ClientProcesses clients = new ClientProcesses(target, TestServer.SECRET, 2, 1, 8, HOLD_LIMIT);
            List<IdleMemoryBenchmark.Level> levels;
            double sockets;
            int ticketRoomMembers;
            List<Long> pids;

            try (clients) {
                levels = new IdleMemoryBenchmark(true, 200).run(target, clients, List.of(100, 300));
                sockets = gauge(server, "ticketchat.sockets");
                ticketRoomMembers = ticketRoomMembers(server, target);
                pids = clients.pids();
            }

            assertThat(levels).extracting(IdleMemoryBenchmark.Level::connected).containsExactly(0, 100, 300);
            assertThat(levels).extracting(IdleMemoryBenchmark.Level::failures).containsOnly(0);
            assertThat(sockets).isEqualTo(300);
            assertThat(ticketRoomMembers).isEqualTo(300);
            assertThat(pids).hasSize(2);
            assertThat(pids).noneMatch(ClientProcessesTest::isAlive);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(server, "ticketchat.sockets") == 0);
        }
    }

    @Test
    void failedChildKillsAllChildren() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            BenchTarget target = new BenchTarget(new InProcessServer(server), TestServer.SECRET);
            target.openTickets(1);
            ClientProcesses clients = new ClientProcesses(target, TestServer.SECRET, 2, 1, 8, HOLD_LIMIT);

            try (clients) {
                assertThatThrownBy(() -> clients.open(0, 40, 10, 10_000))
                        .isInstanceOf(IOException.class)
                        .hasMessageMatching("client process \\d .* failed: connection \\d+ needs room \\d "
                                + "but the tickets file has 1 rooms");

                assertThat(clients.pids()).hasSize(2);
                assertThat(clients.pids()).noneMatch(ClientProcessesTest::isAlive);
            }
        }
    }

    @Test
    void splitMakesNearlyEqualRanges() {
        assertThat(ClientProcesses.split(10, 6000, 3)).containsExactly(10, 2006, 4003, 6000);
        assertThat(ClientProcesses.split(2000, 6000, 3)).containsExactly(2000, 3333, 4666, 6000);
        assertThat(ClientProcesses.split(0, 1, 2)).containsExactly(0, 0, 1);
    }

    @Test
    void reportLineRoundTrips() {
        assertThat(HolderReport.parse("progress 120 3")).isEqualTo(HolderReport.progress(120, 3));
        assertThat(HolderReport.parse("held 9500 0")).isEqualTo(HolderReport.held(9500, 0));
        assertThat(HolderReport.parse("error join_ticket rejected: x")).isEqualTo(
                HolderReport.error("join_ticket rejected: x"));
        assertThat(HolderReport.held(7, 1).toLine()).isEqualTo("held 7 1");
        assertThat(HolderReport.error("two\nlines").toLine()).isEqualTo("error two lines");
    }

    @Test
    void reportParserRejectsOtherLines() {
        assertThatThrownBy(() -> HolderReport.parse("OpenJDK 64-Bit Server VM warning"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HolderReport.parse("held x 0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double gauge(TestServer server, String name) {
        return server.server().registry().get(name).gauge().value();
    }

    private static int ticketRoomMembers(TestServer server, BenchTarget target) {
        Namespace chat = server.server().socketIo().namespace("/");
        return target.ticketIds().stream().mapToInt(id -> chat.socketsIn("ticket:" + id).size()).sum();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}

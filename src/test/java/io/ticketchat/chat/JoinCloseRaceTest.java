package io.ticketchat.chat;

import static io.ticketchat.chat.LiveDesk.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticketchat.db.Database;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code join_ticket} whose visibility check finishes after its client disconnected: the order is forced by
 * holding every database worker until the client is gone.
 */
class JoinCloseRaceTest {
    @TempDir
    Path dataDir;

    @Test
    void joinCheckFinishingAfterCloseLeavesNoMembership() throws Exception {
        try (TestServer server = TestServer.start(dataDir); NodeClientDriver node = NodeClientDriver.start()) {
            LiveDesk desk = new LiveDesk(server, node);
            String token = tokenOf("race-customer", "customer");
            String ticketId = desk.openTicket(token);
            JsSocket client = desk.connect(token);
            DbExecutor db = server.server().db();
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> held = holdAllWorkers(db, release);

            client.emit("join_ticket", Map.of("ticketId", ticketId));
            await().atMost(Duration.ofSeconds(10)).until(() -> db.queuedTasks() == 1);
            client.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> desk.gauge("ticketchat.sockets") == 0);
            release.countDown();
            for (CompletableFuture<Boolean> worker : held) {
                assertThat(worker.get(10, TimeUnit.SECONDS)).isTrue();
            }
            awaitEarlierDatabaseWork(db);
            server.server().audit().awaitRunningTasks();

            assertThat(desk.gauge("ticketchat.room.memberships")).isZero();
            assertThat(desk.gauge("ticketchat.rooms")).isZero();
            assertThat(server.server().audit().runNow()).isZero();
        }
    }

    /** Occupies every database worker until {@code release} opens, and waits until all of them are busy. */
    private static List<CompletableFuture<Boolean>> holdAllWorkers(DbExecutor db, CountDownLatch release)
            throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(Database.DEFAULT_POOL_SIZE);
        List<CompletableFuture<Boolean>> held = new ArrayList<>();
        for (int i = 0; i < Database.DEFAULT_POOL_SIZE; i++) {
            held.add(db.submit(() -> {
                busy.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }));
        }
        assertThat(busy.await(10, TimeUnit.SECONDS)).as("all database workers busy").isTrue();
        return held;
    }

    /**
     * Waits until every worker runs a task at the same time, which means each finished what it took before,
     * including the callbacks that ran on it when its earlier task completed.
     */
    private static void awaitEarlierDatabaseWork(DbExecutor db) throws Exception {
        CyclicBarrier together = new CyclicBarrier(Database.DEFAULT_POOL_SIZE);
        List<CompletableFuture<Integer>> meetings = new ArrayList<>();
        for (int i = 0; i < Database.DEFAULT_POOL_SIZE; i++) {
            meetings.add(db.submit(() -> together.await(10, TimeUnit.SECONDS)));
        }
        for (CompletableFuture<Integer> meeting : meetings) {
            meeting.get(15, TimeUnit.SECONDS);
        }
    }
}

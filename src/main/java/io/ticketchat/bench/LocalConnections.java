package io.ticketchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle connections held in this process on one client: in the bench process itself, or in a client process
 * ({@link ConnectionHolder}).
 */
final class LocalConnections implements IdleConnections {
    private final BenchRooms rooms;
    private final BenchClient client;
    private final List<BenchConnection> open = new ArrayList<>();
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    LocalConnections(BenchRooms rooms, BenchClient client) {
        this.rooms = rooms;
        this.client = client;
    }

    @Override
    public void open(int from, int to, int window, long timeoutMillis) throws InterruptedException {
        open.addAll(rooms.connectAndJoin(client, from, to, window, timeoutMillis, frame -> { }, joined, failures));
    }

    /** Returns the number of connections that joined so far, counting up while {@link #open} runs. */
    int joined() {
        return joined.get();
    }

    @Override
    public int openCount() {
        return (int) open.stream().filter(BenchConnection::isOpen).count();
    }

    @Override
    public int failures() {
        return failures.get();
    }

    @Override
    public void close() {
        open.forEach(BenchConnection::close);
        open.clear();
    }
}

package io.ticketchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Idle connections held in the bench process itself, on the bench's own client. */
final class LocalConnections implements IdleConnections {
    private final BenchTarget target;
    private final BenchClient client;
    private final List<BenchConnection> open = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    LocalConnections(BenchTarget target, BenchClient client) {
        this.target = target;
        this.client = client;
    }

    @Override
    public void open(int from, int to, int window, long timeoutMillis) throws InterruptedException {
        open.addAll(target.connectAndJoin(client, from, to, window, timeoutMillis, frame -> { }, failures));
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

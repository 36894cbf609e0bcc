package io.ticketchat.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory per idle connection: connections that authenticated and joined one ticket each, ten to a ticket,
 * added level by level. At each level the server's RSS is read. For a JVM a full GC then runs, and the heap in
 * use and the RSS are read again. Per-connection figures subtract the idle baseline taken before the first
 * connection. The RSS before the GC is what the runtime reaches by itself. The RSS after it is what the JVM
 * keeps once a forced full GC has given free heap back.
 */
final class IdleMemoryBenchmark {
    private static final int HANDSHAKE_WINDOW = 200;
    private static final long LEVEL_TIMEOUT_MILLIS = 180_000;
    // Longer than twice the periodic collection interval of the production JVM options, so the RSS before the
    // forced GC is what the JVM reaches on its own. Node's collector gets the same time.
    static final long SETTLE_MILLIS = 13_000;

    /** One level: connections open, memory read, and per-connection cost over the baseline. */
    record Level(int target, int connected, int failures, long rssBeforeGcBytes, long rssBytes, long heapBytes,
            double rssBeforeGcPerConnectionBytes, double rssPerConnectionBytes, double heapPerConnectionBytes) {
    }

    private final boolean isJvm;
    private final long settleMillis;

    /** Measures a JVM when {@code isJvm}, waiting {@code settleMillis} before each reading. */
    IdleMemoryBenchmark(boolean isJvm, long settleMillis) {
        this.isJvm = isJvm;
        this.settleMillis = settleMillis;
    }

    /**
     * Opens tickets for the highest level, reads the baseline, then grows {@code connections} level by level
     * and reads memory at each. The connections stay open afterwards, so the caller closes them.
     */
    List<Level> run(BenchTarget target, IdleConnections connections, List<Integer> levels)
            throws IOException, InterruptedException {
        int highest = levels.get(levels.size() - 1);
        target.openTickets(BenchRooms.roomsFor(highest));
        Thread.sleep(settleMillis);
        long baseRssBeforeGc = target.server().rssBytes();
        long baseHeap = heap(target);
        long baseRss = target.server().rssBytes();
        System.out.printf("%s idle baseline rss=%d KiB heap=%d KiB%n",
                target.server().name(), baseRss / 1024, baseHeap / 1024);

        List<Level> results = new ArrayList<>();
        results.add(new Level(0, 0, 0, baseRssBeforeGc, baseRss, baseHeap, 0, 0, 0));
        int opened = 0;
        for (int level : levels) {
            connections.open(opened, level, HANDSHAKE_WINDOW, LEVEL_TIMEOUT_MILLIS);
            opened = level;
            Thread.sleep(settleMillis);
            int connected = connections.openCount();
            int failures = connections.failures();
            long rssBeforeGc = target.server().rssBytes();
            long heap = heap(target);
            long rss = target.server().rssBytes();
            Level row = new Level(level, connected, failures, rssBeforeGc, rss, heap,
                    perConnection(rssBeforeGc - baseRssBeforeGc, connected),
                    perConnection(rss - baseRss, connected), isJvm ? perConnection(heap - baseHeap, connected) : 0);
            results.add(row);
            System.out.printf("%s idle %d connections: rss=%d KiB (before gc %d KiB) heap=%d KiB per connection"
                            + " rss=%.0f B (before gc %.0f B) heap=%.0f B failures=%d%n", target.server().name(),
                    connected, rss / 1024, rssBeforeGc / 1024, heap / 1024, row.rssPerConnectionBytes(),
                    row.rssBeforeGcPerConnectionBytes(), row.heapPerConnectionBytes(), failures);
        }
        return results;
    }

    private long heap(BenchTarget target) throws IOException, InterruptedException {
        return isJvm ? target.server().heapAfterGcBytes() : 0;
    }

    private static double perConnection(long bytes, long connections) {
        return connections == 0 ? 0 : (double) bytes / connections;
    }
}

package io.ticketchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale: many idle connections, ten to a ticket, then a probe in the first room (one sender, ten members) to
 * check that a room still delivers in time under that load. Heap and RSS per connection over the idle
 * baseline are projected to larger counts.
 */
final class ScaleBenchmark {
    private static final int HANDSHAKE_WINDOW = 200;
    private static final long CONNECT_TIMEOUT_MILLIS = 300_000;
    private static final int PROBE_RATE = 20;
    private static final int PROBE_SECONDS = 10;

    /** Measured memory, the probe step and the linear projections, in bytes. */
    record Result(int target, int connected, int failures, long baseRssBytes, long baseHeapBytes, long rssBytes,
            long heapBytes, double rssPerConnectionBytes, double heapPerConnectionBytes,
            FanoutBenchmark.Step probe, long p99LimitMicros, long projectedHeapAt100k, long projectedRssAt100k,
            long projectedHeapAt1m, long projectedRssAt1m) {
    }

    private static final int HISTOGRAM_LINES = 40;

    private final long p99LimitMillis;
    private final Path histogramFile;

    /** The top of the class histogram at the peak goes to {@code histogramFile}, to show where the heap goes. */
    ScaleBenchmark(long p99LimitMillis, Path histogramFile) {
        this.p99LimitMillis = p99LimitMillis;
        this.histogramFile = histogramFile;
    }

    /**
     * Opens {@code connections} connections: the probe room (the first ten) on {@code client}, so that latency
     * is measured in this process, and the rest as {@code idle}. The idle ones stay open afterwards, so the caller
     * closes them.
     */
    Result run(BenchTarget target, BenchClient client, IdleConnections idle, int connections)
            throws IOException, InterruptedException {
        target.openTickets(BenchRooms.roomsFor(connections));
        Thread.sleep(3_000);
        long baseHeap = target.server().heapAfterGcBytes();
        long baseRss = target.server().rssBytes();
        FanoutBenchmark probe = new FanoutBenchmark(1, PROBE_SECONDS, p99LimitMillis);
        AtomicInteger probeFailures = new AtomicInteger();
        int probeMembers = Math.min(connections, BenchRooms.MEMBERS_PER_ROOM);
        List<BenchConnection> room = target.connectAndJoin(client, 0, probeMembers, HANDSHAKE_WINDOW,
                CONNECT_TIMEOUT_MILLIS, probe::onFrame, probeFailures);
        try {
            if (connections > probeMembers) {
                idle.open(probeMembers, connections, HANDSHAKE_WINDOW, CONNECT_TIMEOUT_MILLIS);
            }
            Thread.sleep(3_000);
            int connected = (int) room.stream().filter(BenchConnection::isOpen).count() + idle.openCount();
            int failures = probeFailures.get() + idle.failures();
            long heap = target.server().heapAfterGcBytes();
            long rss = target.server().rssBytes();
            double heapPer = (double) (heap - baseHeap) / Math.max(1, connected);
            double rssPer = (double) (rss - baseRss) / Math.max(1, connected);
            System.out.printf("%s scale %d connections: rss=%d KiB heap=%d KiB failures=%d%n",
                    target.server().name(), connected, rss / 1024, heap / 1024, failures);
            Files.write(histogramFile, target.server().classHistogram().lines().limit(HISTOGRAM_LINES).toList());
            FanoutBenchmark.Result probed = probe.measure(target, room, List.of(PROBE_RATE));
            return new Result(connections, connected, failures, baseRss, baseHeap, rss, heap, rssPer, heapPer,
                    probed.steps().get(0), p99LimitMillis * 1000,
                    project(baseHeap, heapPer, 100_000), project(baseRss, rssPer, 100_000),
                    project(baseHeap, heapPer, 1_000_000), project(baseRss, rssPer, 1_000_000));
        } finally {
            room.forEach(BenchConnection::close);
        }
    }

    private static long project(long base, double perConnection, int connections) {
        return base + Math.round(perConnection * connections);
    }
}

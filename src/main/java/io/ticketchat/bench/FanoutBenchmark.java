package io.ticketchat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Fan-out: rooms of ten connections, one sender per room, the total send rate stepped up until a step's
 * p99 delivery latency passes the limit or a message is lost or refused. Sends are open-loop: each message
 * is due at a fixed time and stamped with that time, so a stalled server shows up as latency instead of
 * slowing the load down. Latency is from the due time to the arrival of {@code new_message} at each member.
 */
final class FanoutBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACK_TIMEOUT_MILLIS = 10_000;
    private static final long DRAIN_TIMEOUT_MILLIS = 10_000;
    private static final int CONTENT_CHARS = 120;
    /** Stamps count from here so they stay positive; nanoTime itself may be negative. */
    private static final long ORIGIN_NANOS = System.nanoTime();

    /** The outcome of one step at an offered total rate, latencies in microseconds. */
    record Step(int offeredPerSecond, double sentPerSecond, long sent, long refused, long expectedDeliveries,
            long delivered, long lost, long p50Micros, long p95Micros, long p99Micros, long maxMicros,
            boolean sustainable, String note) {
    }

    /** Every step, the highest sustainable rate, and a confirmation step at 80 % of it. */
    record Result(List<Step> steps, int highestSustainablePerSecond, Step atEightyPercent) {
    }

    private final int rooms;
    private final int stepSeconds;
    private final long p99LimitMicros;
    private final Recorder latencies = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong delivered = new AtomicLong();
    /** Unique per message across steps: a repeated clientMessageId is a retry, which is not broadcast again. */
    private final AtomicLong messageSequence = new AtomicLong();

    FanoutBenchmark(int rooms, int stepSeconds, long p99LimitMillis) {
        this.rooms = rooms;
        this.stepSeconds = stepSeconds;
        this.p99LimitMicros = TimeUnit.MILLISECONDS.toMicros(p99LimitMillis);
    }

    Result run(BenchTarget target, BenchClient client, List<Integer> rates) throws IOException, InterruptedException {
        target.openTickets(rooms);
        AtomicInteger failures = new AtomicInteger();
        List<BenchConnection> members = target.connectAndJoin(client, 0, rooms * BenchRooms.MEMBERS_PER_ROOM,
                200, 120_000, this::onFrame, failures);
        try {
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " members did not connect and join");
            }
            return measure(target, members, rates);
        } finally {
            members.forEach(BenchConnection::close);
        }
    }

    /**
     * Steps through {@code rates} on connections that already joined the first {@code rooms} rooms and were
     * opened with {@link #onFrame} as their frame handler.
     */
    Result measure(BenchTarget target, List<BenchConnection> members, List<Integer> rates)
            throws InterruptedException {
        List<BenchConnection> senders = senders(target, members);
        // Both runtimes compile their hot paths while they run; the first step is warm-up and not kept.
        step(target, senders, rates.get(0));
        List<Step> steps = new ArrayList<>();
        int best = 0;
        for (int rate : rates) {
            Step step = step(target, senders, rate);
            steps.add(step);
            if (!step.sustainable()) {
                break;
            }
            best = rate;
        }
        Step confirm = best > 0 ? step(target, senders, (int) Math.round(best * 0.8)) : null;
        return new Result(steps, best, confirm);
    }

    /** Picks one sender per room: the first member found that joined that room's ticket. */
    private List<BenchConnection> senders(BenchTarget target, List<BenchConnection> members) {
        List<BenchConnection> senders = new ArrayList<>();
        for (int room = 0; room < rooms; room++) {
            String ticketId = target.ticketId(room);
            senders.add(members.stream()
                    .filter(m -> ticketId.equals(m.joinedTicketId()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no member in room " + ticketId)));
        }
        return senders;
    }

    private Step step(BenchTarget target, List<BenchConnection> senders, int rate) throws InterruptedException {
        latencies.reset();
        delivered.set(0);
        AtomicLong acked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong pending = new AtomicLong();
        long total = (long) rate * stepSeconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int room = (int) (i % rooms);
            ObjectNode payload = JSON.createObjectNode()
                    .put("ticketId", target.ticketId(room))
                    .put("content", BenchPacketCodec.timedContent(due - ORIGIN_NANOS, CONTENT_CHARS))
                    .put("clientMessageId", "bench-" + messageSequence.getAndIncrement());
            pending.incrementAndGet();
            senders.get(room).emitWithAck("send_message", payload, ACK_TIMEOUT_MILLIS)
                    .whenComplete((ack, error) -> {
                        if (error == null && ack != null && ack.path("ok").asBoolean()) {
                            acked.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                        pending.decrementAndGet();
                    });
        }
        double sentPerSecond = total / ((System.nanoTime() - start) / 1e9);

        long expected = total * BenchRooms.MEMBERS_PER_ROOM;
        long drainDeadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MILLIS + ACK_TIMEOUT_MILLIS);
        while ((pending.get() > 0 || delivered.get() < expected) && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }

        Histogram histogram = latencies.getIntervalHistogram();
        long lost = Math.max(0, expected - delivered.get());
        long p99 = histogram.getValueAtPercentile(99);
        boolean sustainable = lost == 0 && refused.get() == 0 && p99 <= p99LimitMicros;
        String note = sustainable ? "" : (lost > 0 || refused.get() > 0 ? "lost or refused" : "p99 over limit");
        Step step = new Step(rate, sentPerSecond, total, refused.get(), expected, delivered.get(), lost,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(95), p99,
                histogram.getMaxValue(), sustainable, note);
        System.out.printf("%s fan-out %d/s: sent %.0f/s p50=%.1f p95=%.1f p99=%.1f max=%.1f ms "
                        + "lost=%d refused=%d%n", target.server().name(), rate, sentPerSecond,
                step.p50Micros() / 1e3, step.p95Micros() / 1e3, p99 / 1e3, step.maxMicros() / 1e3, lost, refused.get());
        return step;
    }

    void onFrame(String frame) {
        if (!frame.startsWith("42[\"new_message\"")) {
            return;
        }
        long sent = BenchPacketCodec.sentNanosOf(frame);
        if (sent >= 0) {
            long micros = Math.max(0, (System.nanoTime() - ORIGIN_NANOS - sent) / 1000);
            latencies.recordValue(Math.min(micros, TimeUnit.SECONDS.toMicros(60)));
            delivered.incrementAndGet();
        }
    }
}

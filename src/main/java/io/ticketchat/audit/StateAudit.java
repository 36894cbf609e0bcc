package io.ticketchat.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-audit: every interval it compares the server's tracked state (sessions, sockets, rooms, presence,
 * typing, connection counts, timers) with its live connections and releases whatever no close path released.
 *
 * <p>Every repair means a bug in a close path, so each one increments {@code ticketchat_audit_repairs_total}
 * with its {@code kind} and is logged at warn with the entry's ids.
 *
 * <p>A close runs as one task on a connection's event loop, and timers run on the timer thread, so state seen
 * half-released in the middle of such a task is not stale. The audit therefore looks twice: it collects the
 * entries that look stale, waits until every event loop and the timer thread has finished the task it was
 * running, and then releases only the entries that still look stale. The first look alone never releases
 * anything.
 *
 * <p>Owner: the server, one per node, closed with it. Thread: its own daemon thread, never an event loop; runs
 * never overlap. Bound: one list of suspected entries per run, dropped at the end of the run.
 */
public final class StateAudit implements AutoCloseable {
    /** Counter of released stale entries; Prometheus shows it as {@code ticketchat_audit_repairs_total}. */
    public static final String REPAIRS_METRIC = "ticketchat.audit.repairs";

    private static final Logger log = LoggerFactory.getLogger(StateAudit.class);
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(10);

    private final List<AuditCheck<?>> checks;
    private final Supplier<List<Executor>> barrierExecutors;
    private final MeterRegistry registry;
    private final ScheduledExecutorService scheduler;

    /**
     * Creates an audit that is not running yet.
     *
     * @param checks the checks, in the order their repairs run; a repair of an earlier kind may release
     *     entries of a later kind through the normal close path
     * @param barrierExecutors the threads whose running task the second look waits for: every event loop and
     *     the timer thread
     */
    public StateAudit(List<AuditCheck<?>> checks, Supplier<List<Executor>> barrierExecutors,
            MeterRegistry registry) {
        this.checks = List.copyOf(checks);
        this.barrierExecutors = Objects.requireNonNull(barrierExecutors, "barrierExecutors");
        this.registry = Objects.requireNonNull(registry, "registry");
        for (AuditCheck<?> check : this.checks) {
            counter(check.kind());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ticketchat-audit");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs the audit every {@code interval}, the first time one interval from now; zero disables it. */
    public void start(Duration interval) {
        if (interval.isZero()) {
            log.info("state audit disabled");
            return;
        }
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::runScheduled, millis, millis, TimeUnit.MILLISECONDS);
        log.info("state audit started interval_ms={}", millis);
    }

    /**
     * Runs one audit on the audit thread, waits for it, and returns the number of entries it released. Tests and
     * operators call it to check that nothing is left behind.
     */
    public int runNow() {
        try {
            return scheduler.submit(this::runOnce).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the state audit", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("state audit failed", e.getCause());
        }
    }

    private void runScheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("state audit failed", e);
        }
    }

    private int runOnce() {
        long started = System.nanoTime();
        List<Suspect<?>> suspects = new ArrayList<>();
        for (AuditCheck<?> check : checks) {
            collect(check, suspects);
        }
        int repaired = 0;
        if (!suspects.isEmpty()) {
            awaitRunningTasks();
            for (Suspect<?> suspect : suspects) {
                if (repair(suspect)) {
                    repaired++;
                    counter(suspect.check().kind()).increment();
                    log.warn("stale state released kind={} entry={}", suspect.check().kind(), suspect.entry());
                }
            }
        }
        log.debug("state audit done suspects={} repaired={} elapsed_ms={}", suspects.size(), repaired,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return repaired;
    }

    private static <T> void collect(AuditCheck<T> check, List<Suspect<?>> suspects) {
        try {
            for (T entry : check.findStale()) {
                suspects.add(new Suspect<>(check, entry));
            }
        } catch (RuntimeException e) {
            log.warn("state audit check failed kind={}", check.kind(), e);
        }
    }

    private static boolean repair(Suspect<?> suspect) {
        try {
            return suspect.repairIfStale();
        } catch (RuntimeException e) {
            log.warn("state audit repair failed kind={} entry={}", suspect.check().kind(), suspect.entry(), e);
            return false;
        }
    }

    /**
     * Waits until every event loop and the timer thread has run a task queued now, so the tasks they were running
     * and the tasks queued before are over. The second look runs after it; tests use it to order their checks.
     */
    public void awaitRunningTasks() {
        List<CompletableFuture<Void>> passed = new ArrayList<>();
        for (Executor executor : barrierExecutors.get()) {
            try {
                passed.add(CompletableFuture.runAsync(() -> { }, executor));
            } catch (RejectedExecutionException e) {
                log.debug("state audit barrier skipped a stopped executor");
            }
        }
        try {
            CompletableFuture.allOf(passed.toArray(CompletableFuture[]::new))
                    .get(BARRIER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the event loops", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("event loops or the timer thread did not answer within "
                    + BARRIER_TIMEOUT.toSeconds() + " s; audit skipped", e);
        }
    }

    private Counter counter(String kind) {
        return Counter.builder(REPAIRS_METRIC)
                .description("Stale entries the state audit released; any value above zero is a bug")
                .tag("kind", kind)
                .register(registry);
    }

    /** Returns the number of entries released so far, over all kinds. */
    public double repairCount() {
        return registry.find(REPAIRS_METRIC).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Stops the audit; a run in progress is interrupted. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private record Suspect<T>(AuditCheck<T> check, T entry) {
        boolean repairIfStale() {
            return check.repairIfStale(entry);
        }
    }
}

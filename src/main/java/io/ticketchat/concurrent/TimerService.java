package io.ticketchat.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's one-shot timers (token expiry, presence grace, typing expiry) on one scheduler thread,
 * with a count of those still pending for the {@code ticketchat_scheduled_timers} gauge.
 *
 * <p>Every timer has an owner (a connection or a presence entry) that holds its {@link Timer} handle and
 * cancels it when the owner goes away. A cancelled timer is removed from the scheduler's queue at once, so
 * neither the task nor what it captured outlives its owner. Tasks run on the scheduler thread and must not
 * block: database work goes to the database executor.
 */
public final class TimerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimerService.class);

    private final ScheduledThreadPoolExecutor scheduler;
    private final AtomicInteger pending = new AtomicInteger();

    public TimerService() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("ticketchat-timers");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code task} once after {@code delay}, unless the returned handle is cancelled first. */
    public Timer schedule(Duration delay, Runnable task) {
        Timer timer = new Timer(task);
        pending.incrementAndGet();
        long delayMillis = Math.max(0, delay.toMillis());
        ScheduledFuture<?> future = scheduler.schedule(timer::fire, delayMillis, TimeUnit.MILLISECONDS);
        timer.future = future;
        if (timer.done.get()) {
            // Cancelled before the future was stored: remove the task from the queue now, not at its deadline.
            future.cancel(false);
        }
        return timer;
    }

    /** Returns the number of timers scheduled and neither fired nor cancelled. */
    public int pendingCount() {
        return pending.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    /** A scheduled task that fires at most once; {@link #cancel()} is safe from any thread, and repeatable. */
    public final class Timer {
        private final AtomicBoolean done = new AtomicBoolean();
        private final Runnable task;
        private volatile ScheduledFuture<?> future;

        private Timer(Runnable task) {
            this.task = task;
        }

        private void fire() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.decrementAndGet();
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("timer task failed", e);
            }
        }

        /** Cancels the timer unless it already fired; returns whether this call cancelled it. */
        public boolean cancel() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            pending.decrementAndGet();
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }
    }
}

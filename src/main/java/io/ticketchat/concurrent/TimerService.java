package io.ticketchat.concurrent;

import io.ticketchat.audit.AuditCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's one-shot timers (presence grace, typing expiry) and its periodic tasks (the token-expiry
 * wheel) on one scheduler thread, with a count of the one-shot timers still pending for the
 * {@code ticketchat_scheduled_timers} gauge.
 *
 * <p>Every timer has an owner (a connection or a presence entry) that holds its {@link Timer} handle and
 * cancels it when the owner goes away. A cancelled timer is removed from the scheduler's queue at once, so
 * neither the task nor what it captured outlives its owner. Tasks run on the scheduler thread and must not
 * block: database work goes to the database executor.
 *
 * <p>Pending timers also sit in an intrusive list (two link fields per timer, no extra object), so the state
 * audit can find a timer whose {@link Owner} was released without cancelling it. The list and the pending
 * count change under this service's lock; a timer leaves the list when it fires or is cancelled.
 */
public final class TimerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimerService.class);

    private final ScheduledThreadPoolExecutor scheduler;
    private final AtomicInteger pending = new AtomicInteger();
    private final Object listLock = new Object();
    private Timer head;

    /**
     * The owner of a timer. The audit cancels a pending timer whose owner is released, because its owner
     * should have cancelled it.
     */
    public interface Owner {
        /** Returns whether the owner was released; must not block or take a lock, as it runs under the list lock. */
        boolean isReleased();
    }

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
        return schedule(delay, null, task);
    }

    /**
     * Runs {@code task} once after {@code delay}, unless the returned handle is cancelled first.
     *
     * @param owner what holds the handle and cancels it when released; null for a timer that belongs to the
     *     server as a whole
     */
    public Timer schedule(Duration delay, Owner owner, Runnable task) {
        Timer timer = new Timer(owner, task);
        link(timer);
        long delayMillis = Math.max(0, delay.toMillis());
        ScheduledFuture<?> future = scheduler.schedule(timer::fire, delayMillis, TimeUnit.MILLISECONDS);
        timer.future = future;
        if (timer.done.get()) {
            // Cancelled before the future was stored: remove the task from the queue now, not at its deadline.
            future.cancel(false);
        }
        return timer;
    }

    /**
     * Runs {@code task} every {@code period}, the first time one period from now, until the service closes. The
     * task belongs to the server as a whole: it has no owner and does not count as pending. A task that throws is
     * logged and runs again at its next period.
     */
    public Future<?> scheduleAtFixedRate(Duration period, Runnable task) {
        long periodNanos = period.toNanos();
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("periodic timer task failed", e);
            }
        }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Returns the number of timers scheduled and neither fired nor cancelled. */
    public int pendingCount() {
        return pending.get();
    }

    /**
     * Returns an executor that runs tasks on the timer thread after the timer task running now, for the state
     * audit, which waits for such a task to know that the running timer task is over.
     */
    public Executor executor() {
        return scheduler;
    }

    /** Returns the audit check of pending timers whose owner was released. */
    public AuditCheck<Timer> staleTimerCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "timer";
            }

            @Override
            public List<Timer> findStale() {
                List<Timer> stale = new ArrayList<>();
                synchronized (listLock) {
                    for (Timer timer = head; timer != null; timer = timer.next) {
                        if (timer.owner != null && timer.owner.isReleased()) {
                            stale.add(timer);
                        }
                    }
                }
                return stale;
            }

            @Override
            public boolean repairIfStale(Timer timer) {
                return timer.owner.isReleased() && timer.cancel();
            }
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void link(Timer timer) {
        synchronized (listLock) {
            timer.next = head;
            if (head != null) {
                head.previous = timer;
            }
            head = timer;
            pending.incrementAndGet();
        }
    }

    private void unlink(Timer timer) {
        synchronized (listLock) {
            if (timer.previous != null) {
                timer.previous.next = timer.next;
            } else {
                head = timer.next;
            }
            if (timer.next != null) {
                timer.next.previous = timer.previous;
            }
            timer.previous = null;
            timer.next = null;
            pending.decrementAndGet();
        }
    }

    /** A scheduled task that fires at most once; {@link #cancel()} is safe from any thread, and repeatable. */
    public final class Timer {
        private final AtomicBoolean done = new AtomicBoolean();
        private final Owner owner;
        private final Runnable task;
        private volatile ScheduledFuture<?> future;
        /** Links of the pending list, guarded by the list lock. */
        private Timer previous;
        private Timer next;

        private Timer(Owner owner, Runnable task) {
            this.owner = owner;
            this.task = task;
        }

        private void fire() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            unlink(this);
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("timer task failed", e);
            }
        }

        /** Returns whether the timer fired or was cancelled. */
        public boolean isDone() {
            return done.get();
        }

        /** Cancels the timer unless it already fired; returns whether this call cancelled it. */
        public boolean cancel() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            unlink(this);
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }

        @Override
        public String toString() {
            return "Timer[owner=" + owner + "]";
        }
    }
}

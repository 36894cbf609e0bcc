package io.ticketchat.db;

import io.ticketchat.error.ApiException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run database work, so that event loops never block on JDBC. Client message sends are the
 * exception: one message writer thread stores them in batches.
 *
 * <p>A fixed number of threads takes tasks from a queue of bounded capacity. When the queue is full, or after
 * {@link #close}, {@link #submit} returns a future already failed with {@code overloaded} instead of queueing
 * without end. The owner calls {@link #close}, which lets queued tasks finish for up to the grace period.
 */
public final class DbExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DbExecutor.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final ThreadPoolExecutor executor;

    /**
     * Starts {@code threads} worker threads with a queue of {@code queueCapacity} tasks.
     *
     * @param threads worker threads; keep it at or below the connection pool size
     * @param queueCapacity tasks waiting for a thread before new ones are rejected
     */
    public DbExecutor(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException(
                    "threads and queueCapacity must be at least 1, got " + threads + " and " + queueCapacity);
        }
        executor = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                new WorkerThreadFactory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Queues {@code task} and returns a future that completes with its result or its exception.
     * Overload does not throw. When the queue is full or the executor is closed, the returned future has
     * already failed with an {@link ApiException} whose code is {@code overloaded}.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> run(task, result));
        } catch (RejectedExecutionException e) {
            log.debug("database task rejected queued={}", queuedTasks());
            result.completeExceptionally(ApiException.overloaded("Server is busy, try again shortly"));
        }
        return result;
    }

    /** Returns the number of worker threads. */
    public int threadCount() {
        return executor.getMaximumPoolSize();
    }

    /** Returns the number of tasks waiting for a thread. */
    public int queuedTasks() {
        return executor.getQueue().size();
    }

    /** Stops taking tasks, waits for queued and running ones up to the grace period, then interrupts them. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                int dropped = executor.shutdownNow().size();
                log.warn("database executor did not drain in time dropped={}", dropped);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static <T> void run(Callable<T> task, CompletableFuture<T> result) {
        try {
            result.complete(task.call());
        } catch (Throwable e) {
            result.completeExceptionally(e);
        }
    }

    private static final class WorkerThreadFactory implements ThreadFactory {
        private final AtomicInteger counter = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "db-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}

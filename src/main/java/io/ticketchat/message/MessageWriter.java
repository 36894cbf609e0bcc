package io.ticketchat.message;

import io.ticketchat.db.Database;
import io.ticketchat.db.Database.TaskOutcome;
import io.ticketchat.db.StoreException;
import io.ticketchat.error.ApiException;
import io.ticketchat.user.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that stores client messages, with group commit. It takes every send waiting in its queue, up
 * to a batch cap, and runs them all in one transaction. One commit, and so one fsync on SQLite, covers the batch,
 * and senders do not take turns at SQLite's write lock. A send's future completes only after that commit, so a
 * message is durable before its acknowledgement and its {@code new_message} broadcast.
 *
 * <p>Each send runs under its own savepoint ({@link Database#inBatchTransaction}), so a send that fails, for
 * example with {@code ticket_not_found}, {@code forbidden} or an SQL error, fails alone with the same exception
 * as {@link MessageService#send}. When the transaction cannot begin or commit, every send of the batch fails
 * with that {@link StoreException}, nothing of the batch is stored, and the writer goes on with the next batch.
 *
 * <p>Futures complete in the order their sends were queued, on one completion thread, after the commit. So the
 * callbacks that acknowledge and broadcast see the messages of a ticket in sequence order, and they run while
 * the writer already stores the next batch.
 *
 * <p>The server creates one writer, starts it and owns it. At most {@code capacity} sends are in flight at a
 * time, from {@link #send} until their future has completed. Past that, {@link #send} returns a future already
 * failed with {@code overloaded}. Two daemon threads: {@code message-writer} runs the transactions and
 * {@code message-completer} completes the futures. {@link #close} stops taking sends, lets the writer store
 * what is queued for up to the grace period, fails the rest with {@code overloaded} and stops both threads.
 */
public final class MessageWriter implements AutoCloseable {
    /** Maximum sends stored in one SQLite transaction. */
    static final int SQLITE_BATCH_CAP = 256;
    /**
     * Maximum sends stored in one PostgreSQL transaction. Each stored send is a subtransaction with its own
     * transaction id, and a PostgreSQL backend keeps at most 64 of them per transaction in shared memory
     * ({@code PGPROC_MAX_CACHED_SUBXIDS} in {@code src/include/storage/proc.h}). Past that, snapshots in every
     * other session have to look transaction ids up in {@code pg_subtrans}, which slows the whole database.
     */
    static final int POSTGRESQL_BATCH_CAP = 64;

    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
    /** A marker that {@link #close} queues after the last send. The writer stops when it takes it. */
    private static final PendingSend STOP = new PendingSend(null, null, null);

    private final Database database;
    private final MessageService messages;
    private final int capacity;
    private final int batchCap;
    /** Sends waiting for the writer. One slot more than {@code capacity} leaves room for {@link #STOP}. */
    private final BlockingQueue<PendingSend> queue;
    /** Sends accepted and not yet completed, at most {@code capacity}. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    /** Orders accepting a send with {@link #close}, so no send is queued after {@link #STOP}. */
    private final Object admission = new Object();
    /** Guarded by {@link #admission}. */
    private boolean closed;
    private final Thread writer;
    private final ExecutorService completer;

    /**
     * Creates a writer that stores sends with {@code messages}. It takes no send from the queue before
     * {@link #start}.
     *
     * @param capacity sends in flight at a time, queued or waiting for their future to complete
     */
    public MessageWriter(Database database, MessageService messages, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.database = database;
        this.messages = messages;
        this.capacity = capacity;
        this.batchCap = database.isSqlite() ? SQLITE_BATCH_CAP : POSTGRESQL_BATCH_CAP;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.writer = new Thread(this::runWriter, "message-writer");
        writer.setDaemon(true);
        this.completer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "message-completer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the writer thread. */
    public void start() {
        writer.start();
    }

    /**
     * Queues a send and returns a future that completes with its result after the commit, or with the exception
     * {@link MessageService#send} would throw. Overload does not throw: when {@code capacity} sends are in flight or
     * the writer is closed, the returned future has already failed with an {@link ApiException} whose code is
     * {@code overloaded}.
     */
    public CompletableFuture<SendResult> send(User sender, SendRequest request) {
        PendingSend pending = new PendingSend(sender, request, new CompletableFuture<>());
        synchronized (admission) {
            if (!closed && inFlight.get() < capacity) {
                inFlight.incrementAndGet();
                queue.add(pending);
                return pending.result();
            }
        }
        log.debug("message send rejected in_flight={}", inFlight.get());
        return CompletableFuture.failedFuture(overloaded());
    }

    /** Returns the number of sends accepted and not yet completed: queued, being stored, or being completed. */
    public int inFlightCount() {
        return inFlight.get();
    }

    /** Returns the number of batch transactions committed. */
    public long commitCount() {
        return commits.get();
    }

    /** Returns the number of batches whose transaction could not begin or commit. */
    public long failedBatchCount() {
        return failedBatches.get();
    }

    /**
     * Stops taking sends, waits up to the grace period for the writer to store what is queued, fails what is
     * still queued after it with {@code overloaded}, and waits for the completion thread within the same period.
     */
    @Override
    public void close() {
        synchronized (admission) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        try {
            writer.join(CLOSE_GRACE.toMillis());
            failQueued();
            completer.shutdown();
            if (!completer.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("message completer did not finish in time in_flight={}", inFlight.get());
            }
        } catch (InterruptedException e) {
            failQueued();
            completer.shutdown();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fails every send still queued with {@code overloaded}. When the writer is still busy with a batch, it
     * gets {@link #STOP} again, so that it ends after that batch.
     */
    private void failQueued() {
        List<PendingSend> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(pending -> pending == STOP);
        for (PendingSend pending : left) {
            pending.result().completeExceptionally(overloaded());
            inFlight.decrementAndGet();
        }
        if (writer.isAlive()) {
            queue.add(STOP);
            log.warn("message writer did not drain in time dropped={}", left.size());
        }
    }

    private void runWriter() {
        boolean stopping = false;
        while (!stopping) {
            List<PendingSend> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                log.warn("message writer interrupted, stopping queued={}", queue.size());
                return;
            }
            queue.drainTo(batch, batchCap - 1);
            // Nothing is queued after STOP, so it can only be last.
            stopping = batch.get(batch.size() - 1) == STOP;
            if (stopping) {
                batch.remove(batch.size() - 1);
            }
            if (!batch.isEmpty()) {
                write(batch);
            }
        }
    }

    private void write(List<PendingSend> batch) {
        List<Supplier<SendResult>> tasks = new ArrayList<>(batch.size());
        for (PendingSend pending : batch) {
            tasks.add(() -> messages.send(pending.sender(), pending.request()));
        }
        long started = System.nanoTime();
        List<TaskOutcome<SendResult>> outcomes;
        try {
            outcomes = database.inBatchTransaction("append message batch", tasks);
        } catch (StoreException e) {
            failedBatches.incrementAndGet();
            log.warn("message batch rolled back sends={} elapsed_ms={} error={}", batch.size(), elapsedMillis(started),
                    e.getMessage());
            complete(batch, null, e);
            return;
        } catch (RuntimeException | Error e) {
            // Unexpected, but the writer keeps serving, because a dead writer would leave every later send waiting.
            failedBatches.incrementAndGet();
            log.error("message batch failed sends={}", batch.size(), e);
            complete(batch, null, e);
            return;
        }
        commits.incrementAndGet();
        complete(batch, outcomes, null);
    }

    /**
     * Completes the batch's futures in queue order on the completion thread, each with its outcome, or all with
     * {@code batchFailure} when it is not null. Runs them on the calling thread once the completer is shut down.
     */
    private void complete(List<PendingSend> batch, List<TaskOutcome<SendResult>> outcomes, Throwable batchFailure) {
        Runnable completion = () -> {
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<SendResult> result = batch.get(i).result();
                try {
                    if (batchFailure != null) {
                        result.completeExceptionally(batchFailure);
                    } else if (outcomes.get(i).succeeded()) {
                        result.complete(outcomes.get(i).value());
                    } else {
                        result.completeExceptionally(outcomes.get(i).failure());
                    }
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        };
        try {
            completer.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static ApiException overloaded() {
        return ApiException.overloaded("Server is busy, try again shortly");
    }

    /** A send waiting for the writer, with the future its caller waits on. */
    private record PendingSend(User sender, SendRequest request, CompletableFuture<SendResult> result) {
    }
}

package io.ticketchat.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DbExecutorTest {
    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void runsTaskAndReturnsResult() {
        try (DbExecutor executor = new DbExecutor(2, 4)) {
            assertThat(executor.submit(() -> 40 + 2).join()).isEqualTo(42);
        }
    }

    @Test
    void taskExceptionFailsFuture() {
        try (DbExecutor executor = new DbExecutor(1, 1)) {
            CompletableFuture<Object> future = executor.submit(() -> {
                throw ApiException.ticketNotFound();
            });

            assertThat(failure(future)).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void rejectsWithOverloadedWhenQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try (DbExecutor executor = new DbExecutor(1, 2)) {
            executor.submit(() -> {
                running.countDown();
                return release.await(10, TimeUnit.SECONDS);
            });
            running.await(10, TimeUnit.SECONDS);
            CompletableFuture<Integer> queued1 = executor.submit(() -> 1);
            CompletableFuture<Integer> queued2 = executor.submit(() -> 2);

            CompletableFuture<Integer> rejected = executor.submit(() -> 3);

            assertThat(executor.queuedTasks()).isEqualTo(2);
            assertThat(rejected).isCompletedExceptionally();
            assertThat(((ApiException) failure(rejected)).code()).isEqualTo(ErrorCode.OVERLOADED);
            release.countDown();
            assertThat(queued1.join()).isEqualTo(1);
            assertThat(queued2.join()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> executor.queuedTasks() == 0);
        }
    }

    @Test
    void closeFinishesQueuedTasksThenRejects() {
        DbExecutor executor = new DbExecutor(1, 10);
        CompletableFuture<String> queued = executor.submit(() -> "done");

        executor.close();

        assertThat(queued.join()).isEqualTo("done");
        assertThat(((ApiException) failure(executor.submit(() -> 1))).code()).isEqualTo(ErrorCode.OVERLOADED);
    }
}

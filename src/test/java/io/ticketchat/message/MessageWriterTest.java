package io.ticketchat.message;

import static io.ticketchat.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ticketchat.db.StoreException;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.testing.Fixtures;
import io.ticketchat.testing.TestDatabase;
import io.ticketchat.ticket.Ticket;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
class MessageWriterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Parameter
    String backend;

    @TempDir
    Path tempDir;

    private TestDatabase db;
    private TicketService tickets;
    private MessageService messages;
    private MessageWriter writer;
    private User customer;
    private User otherCustomer;
    private User agent;
    private Ticket ticket;

    @BeforeEach
    void setUp() {
        db = TestDatabase.open(backend, tempDir);
        tickets = new TicketService(db.database());
        messages = new MessageService(db.database(), tickets);
        customer = Fixtures.user(db.database(), Role.CUSTOMER, "Cora Customer");
        otherCustomer = Fixtures.user(db.database(), Role.CUSTOMER, "Otto Other");
        agent = Fixtures.user(db.database(), Role.AGENT, "Ada Agent");
        ticket = openTicket(customer);
    }

    @AfterEach
    void tearDown() {
        if (writer != null) {
            writer.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private Ticket openTicket(User owner) {
        return tickets.create(owner, json("{'subject':'Printer on fire'}"));
    }

    private MessageWriter newWriter(int capacity) {
        writer = new MessageWriter(db.database(), messages, capacity);
        return writer;
    }

    private CompletableFuture<SendResult> send(User sender, Ticket target, String content, String clientMessageId) {
        return send(sender, target.id(), content, clientMessageId);
    }

    private CompletableFuture<SendResult> send(User sender, String ticketId, String content, String clientMessageId) {
        return writer.send(sender, new SendRequest(ticketId, content, "text", List.of(), clientMessageId));
    }

    private List<String> storedContents(Ticket target) {
        HistoryPage page = messages.history(agent, messages.parseHistoryRequest(json("'" + target.id() + "'")));
        return page.messages().stream().map(Message::content).toList();
    }

    private static SendResult result(CompletableFuture<SendResult> future) {
        return future.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static Throwable failure(CompletableFuture<SendResult> future) {
        try {
            future.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the send to fail");
    }

    private static ErrorCode errorCode(CompletableFuture<SendResult> future) {
        return ((ApiException) failure(future)).code();
    }

    private void execute(String sql) {
        db.database().withHandle("test set-up", handle -> handle.execute(sql));
    }

    private void closeTicket(Ticket target) {
        execute("UPDATE tickets SET status = 'closed' WHERE id = '" + target.id() + "'");
    }

    /**
     * Makes storing a message with {@code content} fail with an SQL error after its row was inserted, when the
     * ticket's last message moves to it, so only a rollback of the whole send removes the row.
     */
    private void failStoringOf(String content) {
        String justInserted = "EXISTS (SELECT 1 FROM messages WHERE ticket_id = NEW.id"
                + " AND seq = NEW.last_message_seq AND content = '" + content + "')";
        if (db.database().isSqlite()) {
            execute("CREATE TRIGGER reject_message BEFORE UPDATE ON tickets WHEN " + justInserted
                    + " BEGIN SELECT RAISE(ABORT, 'rejected by test trigger'); END");
            return;
        }
        execute("CREATE FUNCTION reject_message() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + justInserted
                + " THEN RAISE EXCEPTION 'rejected by test trigger'; END IF; RETURN NEW; END $$");
        execute("CREATE TRIGGER reject_message BEFORE UPDATE ON tickets FOR EACH ROW"
                + " EXECUTE FUNCTION reject_message()");
    }

    /**
     * Makes the commit of any transaction that inserted a message with {@code content} fail: the insert adds a
     * row that breaks a deferred foreign key, which both stores check only at commit.
     */
    private void failCommitsWith(String content) {
        execute("CREATE TABLE commit_guard (ticket_id TEXT NOT NULL"
                + " REFERENCES tickets (id) DEFERRABLE INITIALLY DEFERRED)");
        if (db.database().isSqlite()) {
            execute("CREATE TRIGGER guard_commit AFTER INSERT ON messages WHEN NEW.content = '" + content + "'"
                    + " BEGIN INSERT INTO commit_guard (ticket_id) VALUES ('no-such-ticket'); END");
            return;
        }
        execute("CREATE FUNCTION guard_commit() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN INSERT INTO commit_guard (ticket_id) VALUES ('no-such-ticket'); RETURN NEW; END $$");
        execute("CREATE TRIGGER guard_commit AFTER INSERT ON messages FOR EACH ROW"
                + " WHEN (NEW.content = '" + content + "') EXECUTE FUNCTION guard_commit()");
    }

    @Nested
    class OneBatch {
        @Test
        void mixedBatchGivesEachSendItsOwnOutcome() {
            Ticket closed = openTicket(customer);
            closeTicket(closed);
            newWriter(100);
            CompletableFuture<SendResult> valid = send(customer, ticket, "first", null);
            CompletableFuture<SendResult> unknown = send(customer, "no-such-ticket", "lost", null);
            CompletableFuture<SendResult> invisible = send(otherCustomer, ticket, "sneaky", null);
            CompletableFuture<SendResult> intoClosed = send(customer, closed, "again", null);
            CompletableFuture<SendResult> original = send(customer, ticket, "once", "retry-1");
            CompletableFuture<SendResult> retry = send(customer, ticket, "once, edited", "retry-1");
            CompletableFuture<SendResult> last = send(agent, ticket, "last", null);

            writer.start();

            assertThat(result(valid).created()).isTrue();
            assertThat(errorCode(unknown)).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
            assertThat(errorCode(invisible)).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
            assertThat(errorCode(intoClosed)).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(result(original).created()).isTrue();
            assertThat(result(retry).created()).isFalse();
            assertThat(result(retry).message()).isEqualTo(result(original).message());
            assertThat(result(last).created()).isTrue();
            assertThat(storedContents(ticket)).containsExactly("first", "once", "last");
            assertThat(storedContents(closed)).isEmpty();
            assertThat(writer.commitCount()).isEqualTo(1);
        }

        @Test
        void sqlErrorFailsOnlyItsOwnSend() {
            failStoringOf("explode");
            newWriter(100);
            CompletableFuture<SendResult> before = send(customer, ticket, "before", null);
            CompletableFuture<SendResult> broken = send(customer, ticket, "explode", null);
            CompletableFuture<SendResult> after = send(agent, ticket, "after", null);

            writer.start();

            assertThat(result(before).created()).isTrue();
            assertThat(failure(broken)).isInstanceOf(StoreException.class);
            assertThat(result(after).created()).isTrue();
            assertThat(storedContents(ticket)).containsExactly("before", "after");
            assertThat(tickets.findVisible(agent, ticket.id()).lastActivityAt())
                    .isEqualTo(result(after).message().createdAt());
        }

        @Test
        void failedCommitFailsWholeBatch() {
            failCommitsWith("poison");
            newWriter(100);
            List<CompletableFuture<SendResult>> batch = List.of(
                    send(customer, ticket, "one", null),
                    send(agent, ticket, "poison", null),
                    send(customer, ticket, "three", "c-3"));

            writer.start();

            for (CompletableFuture<SendResult> future : batch) {
                assertThat(failure(future)).isInstanceOf(StoreException.class);
            }
            assertThat(storedContents(ticket)).isEmpty();
            assertThat(writer.failedBatchCount()).isEqualTo(1);
            assertThat(writer.commitCount()).isZero();

            SendResult next = result(send(customer, ticket, "three", "c-3"));

            assertThat(next.created()).isTrue();
            assertThat(storedContents(ticket)).containsExactly("three");
            assertThat(writer.commitCount()).isEqualTo(1);
        }

        @Test
        void retryInLaterBatchReturnsOriginal() {
            newWriter(100);
            writer.start();
            SendResult original = result(send(customer, ticket, "once", "retry-2"));

            SendResult retry = result(send(customer, ticket, "once, edited", "retry-2"));

            assertThat(retry.created()).isFalse();
            assertThat(retry.message()).isEqualTo(original.message());
            assertThat(storedContents(ticket)).containsExactly("once");
        }
    }

    @Nested
    class Bounds {
        @Test
        void fullWriterRejectsSendWithOverloadedAtOnce() {
            newWriter(2);
            CompletableFuture<SendResult> first = send(customer, ticket, "one", null);
            CompletableFuture<SendResult> second = send(customer, ticket, "two", null);

            CompletableFuture<SendResult> third = send(customer, ticket, "three", null);

            assertThat(third).isCompletedExceptionally();
            assertThat(errorCode(third)).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(writer.inFlightCount()).isEqualTo(2);
            writer.start();
            assertThat(result(first).created()).isTrue();
            assertThat(result(second).created()).isTrue();
            await().atMost(TIMEOUT).until(() -> writer.inFlightCount() == 0);
        }

        @Test
        void closeStoresQueuedSends() {
            newWriter(10);
            CompletableFuture<SendResult> first = send(customer, ticket, "one", null);
            CompletableFuture<SendResult> second = send(agent, ticket, "two", null);
            writer.start();

            writer.close();

            assertThat(first).isCompleted();
            assertThat(result(first).created()).isTrue();
            assertThat(result(second).created()).isTrue();
            assertThat(storedContents(ticket)).containsExactly("one", "two");
            assertThat(writer.inFlightCount()).isZero();
        }

        @Test
        void closeFailsSendsNoWriterTook() {
            newWriter(10);
            CompletableFuture<SendResult> queued = send(customer, ticket, "one", null);

            writer.close();

            assertThat(errorCode(queued)).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(writer.inFlightCount()).isZero();
            assertThat(storedContents(ticket)).isEmpty();
        }

        @Test
        void sendAfterCloseIsOverloaded() {
            newWriter(10);
            writer.start();
            writer.close();

            CompletableFuture<SendResult> late = send(customer, ticket, "late", null);

            assertThat(errorCode(late)).isEqualTo(ErrorCode.OVERLOADED);
        }
    }

    @Nested
    class Concurrency {
        @Test
        void concurrentSendsCompleteInSeqOrder() throws Exception {
            int senders = 8;
            int sendsPerSender = 60;
            List<Ticket> targets = List.of(ticket, openTicket(customer), openTicket(customer), openTicket(customer));
            Map<String, List<String>> completedIds = new HashMap<>();
            targets.forEach(target -> completedIds.put(target.id(), new ArrayList<>()));
            // Sending and attaching the callback under the lock the callback takes keeps the recorded order
            // equal to the completion order, even for a future that completes before its callback is attached.
            Object order = new Object();
            newWriter(senders * sendsPerSender);
            writer.start();
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            List<CompletableFuture<SendResult>> all = new ArrayList<>();
            try {
                List<Future<List<CompletableFuture<SendResult>>>> started = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    User sender = s % 2 == 0 ? agent : customer;
                    int senderIndex = s;
                    started.add(pool.submit(() -> {
                        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
                        for (int i = 0; i < sendsPerSender; i++) {
                            Ticket target = targets.get((senderIndex + i) % targets.size());
                            synchronized (order) {
                                CompletableFuture<SendResult> future = send(sender, target, "m" + senderIndex + "-" + i,
                                        null);
                                future.thenAccept(done -> {
                                    synchronized (order) {
                                        completedIds.get(target.id()).add(done.message().id());
                                    }
                                });
                                sent.add(future);
                            }
                        }
                        return sent;
                    }));
                }
                for (Future<List<CompletableFuture<SendResult>>> sender : started) {
                    all.addAll(sender.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                }
            } finally {
                pool.shutdownNow();
            }

            all.forEach(future -> assertThat(result(future).created()).isTrue());
            await().atMost(TIMEOUT).until(() -> writer.inFlightCount() == 0);
            int stored = 0;
            for (Ticket target : targets) {
                List<String> storedIds = messages.history(agent, messages.parseHistoryRequest(json("'" + target.id()
                        + "'"))).messages().stream().map(Message::id).toList();
                synchronized (order) {
                    assertThat(completedIds.get(target.id())).containsExactlyElementsOf(storedIds);
                }
                stored += storedIds.size();
            }
            assertThat(stored).isEqualTo(senders * sendsPerSender);
            assertThat(writer.commitCount()).isLessThan(senders * sendsPerSender);
        }
    }
}

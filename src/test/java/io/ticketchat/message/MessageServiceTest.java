package io.ticketchat.message;

import static io.ticketchat.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.testing.Fixtures;
import io.ticketchat.testing.TestDatabase;
import io.ticketchat.ticket.Ticket;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
class MessageServiceTest {
    private static final Instant FIXED_TIME = Instant.parse("2026-01-31T09:15:00.123Z");

    @Parameter
    String backend;

    @TempDir
    Path tempDir;

    private TestDatabase db;
    private TicketService tickets;
    private MessageService messages;
    private User customer;
    private User otherCustomer;
    private User agent;
    private Ticket ticket;

    @BeforeEach
    void setUp() {
        db = TestDatabase.open(backend, tempDir);
        Clock clock = Clock.fixed(FIXED_TIME, ZoneOffset.UTC);
        tickets = new TicketService(db.database(), clock);
        messages = new MessageService(db.database(), tickets, MessageLimits.DEFAULTS, clock);
        customer = Fixtures.user(db.database(), Role.CUSTOMER, "Cora Customer");
        otherCustomer = Fixtures.user(db.database(), Role.CUSTOMER, "Otto Other");
        agent = Fixtures.user(db.database(), Role.AGENT, "Ada Agent");
        ticket = tickets.create(customer, json("{'subject':'Printer on fire'}"));
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private Message send(User sender, String content) {
        return messages.send(sender, new SendRequest(ticket.id(), content, "text", List.of(), null)).message();
    }

    private HistoryPage history(User viewer, String payload) {
        return messages.history(viewer, messages.parseHistoryRequest(json(payload)));
    }

    private static List<String> contents(HistoryPage page) {
        return page.messages().stream().map(Message::content).toList();
    }

    private ErrorCode historyError(User viewer, String payload) {
        return catchThrowableOfType(ApiException.class, () -> history(viewer, payload)).code();
    }

    @Nested
    class History {
        @Test
        void emptyTicketHasNoMessages() {
            HistoryPage page = history(customer, "'" + ticket.id() + "'");

            assertThat(page.ticketId()).isEqualTo(ticket.id());
            assertThat(page.messages()).isEmpty();
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        void returnsLatestMessagesOldestFirst() {
            for (int i = 1; i <= 5; i++) {
                send(i % 2 == 0 ? agent : customer, "m" + i);
            }

            HistoryPage page = history(customer, "{'ticketId':'" + ticket.id() + "','limit':3}");

            assertThat(contents(page)).containsExactly("m3", "m4", "m5");
            assertThat(page.hasMore()).isTrue();
        }

        @Test
        void reportsNoMoreWhenAllFit() {
            send(customer, "only");

            HistoryPage page = history(customer, "{'ticketId':'" + ticket.id() + "','limit':'1'}");

            assertThat(contents(page)).containsExactly("only");
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        void defaultLimitIsClampedTo200() {
            for (int i = 0; i < 205; i++) {
                send(customer, "m" + i);
            }

            HistoryPage page = history(customer, "{'ticketId':'" + ticket.id() + "','limit':1000}");

            assertThat(page.messages()).hasSize(200);
            assertThat(page.messages().get(0).content()).isEqualTo("m5");
            assertThat(page.hasMore()).isTrue();
        }

        @Test
        void walksBack500MessagesWithOneTimestampExactlyOnce() {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sent.add(send(i % 3 == 0 ? agent : customer, "m" + i).id());
            }

            List<String> seen = new ArrayList<>();
            String before = null;
            boolean hasMore = true;
            int pages = 0;
            while (hasMore && pages < 100) {
                String payload = "{'ticketId':'" + ticket.id() + "','limit':37"
                        + (before == null ? "}" : ",'before':'" + before + "'}");
                HistoryPage page = history(customer, payload);
                List<String> ids = page.messages().stream().map(Message::id).toList();
                seen.addAll(0, ids);
                before = ids.isEmpty() ? before : ids.get(0);
                hasMore = page.hasMore();
                pages++;
            }

            assertThat(pages).isEqualTo(14);
            assertThat(seen).containsExactlyElementsOf(sent);
            assertThat(new HashSet<>(seen)).hasSize(500);
        }

        @Test
        void beforeOfUnknownMessageIsInvalidRequest() {
            send(customer, "m1");

            ErrorCode code = historyError(customer, "{'ticketId':'" + ticket.id() + "','before':'nope'}");

            assertThat(code).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void beforeOfAnotherTicketsMessageIsInvalidRequest() {
            Ticket other = tickets.create(customer, json("{'subject':'Second'}"));
            Message foreign = messages.send(customer, new SendRequest(other.id(), "x", "text", List.of(), null))
                    .message();

            ErrorCode code = historyError(customer,
                    "{'ticketId':'" + ticket.id() + "','before':'" + foreign.id() + "'}");

            assertThat(code).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void unknownAndInvisibleTicketsGetTheSameError() {
            assertThat(historyError(otherCustomer, "'" + ticket.id() + "'")).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
            assertThat(historyError(customer, "'no-such-ticket'")).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
        }

        @Test
        void visibilityIsCheckedBeforeBefore() {
            ErrorCode code = historyError(otherCustomer, "{'ticketId':'" + ticket.id() + "','before':'nope'}");

            assertThat(code).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
        }

        @Test
        void staffSeeAnyTicket() {
            send(customer, "hello");

            assertThat(contents(history(agent, "'" + ticket.id() + "'"))).containsExactly("hello");
        }
    }

    @Nested
    class Send {
        @Test
        void storesMessageAndBumpsTicketActivity() {
            Clock later = Clock.fixed(FIXED_TIME.plusSeconds(60), ZoneOffset.UTC);
            MessageService laterMessages = new MessageService(db.database(), tickets, MessageLimits.DEFAULTS, later);
            SendRequest request = messages.parseSendRequest(json(
                    "{'chatId':'" + ticket.id() + "','content':'Hi','clientMessageId':'c1',"
                            + "'attachments':[{'url':'https://f.example.com/a/log.txt','size':12}]}"));

            SendResult result = laterMessages.send(customer, request);

            assertThat(result.created()).isTrue();
            assertThat(result.message().sender()).isEqualTo(new Sender(customer.id(), "Cora Customer", "customer"));
            assertThat(result.message().createdAt()).isEqualTo(FIXED_TIME.plusSeconds(60));
            assertThat(tickets.findVisible(customer, ticket.id()).lastActivityAt())
                    .isEqualTo(FIXED_TIME.plusSeconds(60));
            assertThat(history(customer, "'" + ticket.id() + "'").messages()).containsExactly(result.message());
        }

        @Test
        void invisibleTicketIsNotFoundAndStoresNothing() {
            SendRequest request = new SendRequest(ticket.id(), "sneaky", "text", List.of(), null);

            ApiException error = catchThrowableOfType(ApiException.class, () -> messages.send(otherCustomer, request));

            assertThat(error.code()).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
            assertThat(history(customer, "'" + ticket.id() + "'").messages()).isEmpty();
        }

        @Test
        void customerCannotSendIntoClosedTicket() {
            db.database().withHandle("close ticket", handle -> handle
                    .execute("UPDATE tickets SET status = 'closed' WHERE id = ?", ticket.id()));
            SendRequest request = new SendRequest(ticket.id(), "again", "text", List.of(), null);

            ApiException error = catchThrowableOfType(ApiException.class, () -> messages.send(customer, request));

            assertThat(error.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(messages.send(agent, request).created()).isTrue();
        }

        @Test
        void sameClientMessageIdReturnsOriginal() {
            SendRequest first = new SendRequest(ticket.id(), "once", "text", List.of(), "retry-1");
            SendRequest retry = new SendRequest(ticket.id(), "once, edited", "text", List.of(), "retry-1");

            SendResult original = messages.send(customer, first);
            SendResult again = messages.send(customer, retry);

            assertThat(original.created()).isTrue();
            assertThat(again.created()).isFalse();
            assertThat(again.message()).isEqualTo(original.message());
            assertThat(contents(history(customer, "'" + ticket.id() + "'"))).containsExactly("once");
        }

        @Test
        void otherSenderSameClientIdIsNew() {
            messages.send(customer, new SendRequest(ticket.id(), "a", "text", List.of(), "same"));

            SendResult agentResult = messages.send(agent, new SendRequest(ticket.id(), "b", "text", List.of(), "same"));

            assertThat(agentResult.created()).isTrue();
        }

        @Test
        void concurrentRetriesStoreOneRow() throws Exception {
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<SendResult>> results = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return messages.send(customer,
                                new SendRequest(ticket.id(), "racy", "text", List.of(), "same-retry"));
                    }));
                }
                start.countDown();

                Set<String> ids = new HashSet<>();
                int created = 0;
                for (Future<SendResult> result : results) {
                    SendResult sendResult = result.get(30, TimeUnit.SECONDS);
                    ids.add(sendResult.message().id());
                    created += sendResult.created() ? 1 : 0;
                }

                assertThat(ids).hasSize(1);
                assertThat(created).isEqualTo(1);
                assertThat(history(customer, "'" + ticket.id() + "'").messages()).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void concurrentDistinctMessagesAllGetStored() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<SendResult>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    String content = "c" + i;
                    results.add(pool.submit(() -> messages.send(agent,
                            new SendRequest(ticket.id(), content, "text", List.of(), null))));
                }
                for (Future<SendResult> result : results) {
                    result.get(30, TimeUnit.SECONDS);
                }

                assertThat(history(agent, "'" + ticket.id() + "'").messages()).hasSize(40);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void systemMessageIsStoredWithSystemSender() {
            Message system = messages.storeSystemMessage(ticket.id(), "Status changed to pending");

            HistoryPage page = history(customer, "'" + ticket.id() + "'");

            assertThat(page.messages()).containsExactly(system);
            assertThat(system.messageType()).isEqualTo("system");
            assertThat(system.sender()).isEqualTo(Sender.SYSTEM);
        }
    }

    @Nested
    class Receipts {
        @Test
        void markReadCoversEarlierMessagesExceptOwn() {
            Message fromCustomer = send(customer, "question");
            Message fromAgent = send(agent, "answer");
            Message later = send(customer, "thanks");

            ReadResult result = messages.markRead(agent, new MarkReadRequest(ticket.id(), fromAgent.id()));
            List<Message> page = history(customer, "'" + ticket.id() + "'").messages();

            assertThat(result.changed()).isTrue();
            assertThat(result.readAt()).isEqualTo(FIXED_TIME);
            assertThat(page.get(0).readBy()).containsExactly(new ReadReceipt(agent.id(), FIXED_TIME));
            assertThat(page.get(0).isRead()).isTrue();
            assertThat(page.get(1).readBy()).isEmpty();
            assertThat(page.get(2).isRead()).isFalse();
            assertThat(fromCustomer.id()).isEqualTo(page.get(0).id());
            assertThat(later.id()).isEqualTo(page.get(2).id());
        }

        @Test
        void markingCoveredPointChangesNothing() {
            Message first = send(customer, "one");
            Message second = send(customer, "two");
            messages.markRead(agent, new MarkReadRequest(ticket.id(), second.id()));

            ReadResult again = messages.markRead(agent, new MarkReadRequest(ticket.id(), first.id()));

            assertThat(again.changed()).isFalse();
        }

        @Test
        void messageOfAnotherTicketIsInvalidRequest() {
            MarkReadRequest request = new MarkReadRequest(ticket.id(), "unknown");

            ApiException error = catchThrowableOfType(ApiException.class, () -> messages.markRead(agent, request));

            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    @Test
    void wireShapeMatchesContract() {
        SendResult sent = messages.send(agent, messages.parseSendRequest(json("{'ticketId':'" + ticket.id()
                + "','content':'Hi','clientMessageId':'k1','attachments':[{'url':'https://f.example.com/x.png',"
                + "'size':5,'mimeType':'image/png'}]}")));
        messages.markRead(customer, new MarkReadRequest(ticket.id(), sent.message().id()));
        Message stored = history(agent, "'" + ticket.id() + "'").messages().get(0);

        String wire = stored.toWire().toString();

        assertThat(wire).isEqualTo("{\"_id\":\"" + stored.id() + "\",\"chatId\":\"" + ticket.id()
                + "\",\"ticketId\":\"" + ticket.id() + "\",\"sender\":{\"_id\":\"" + agent.id()
                + "\",\"name\":\"Ada Agent\",\"role\":\"agent\"},\"content\":\"Hi\",\"messageType\":\"text\","
                + "\"attachments\":[{\"url\":\"https://f.example.com/x.png\",\"name\":\"x.png\",\"size\":5,"
                + "\"mimeType\":\"image/png\"}],\"createdAt\":\"2026-01-31T09:15:00.123Z\",\"isRead\":true,"
                + "\"readBy\":[{\"userId\":\"" + customer.id() + "\",\"readAt\":\"2026-01-31T09:15:00.123Z\"}],"
                + "\"clientMessageId\":\"k1\"}");
    }
}

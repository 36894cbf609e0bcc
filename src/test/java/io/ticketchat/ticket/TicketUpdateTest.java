package io.ticketchat.ticket;

import static io.ticketchat.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.message.HistoryPage;
import io.ticketchat.message.HistoryRequest;
import io.ticketchat.message.Message;
import io.ticketchat.message.MessageLimits;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.SendRequest;
import io.ticketchat.message.Sender;
import io.ticketchat.testing.Fixtures;
import io.ticketchat.testing.TestDatabase;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TestDatabase.SQLITE, TestDatabase.POSTGRESQL})
class TicketUpdateTest {
    @Parameter
    String backend;

    @TempDir
    Path tempDir;

    private TestDatabase db;
    private TicketService tickets;
    private MessageService messages;
    private User customer;
    private User grace;
    private User omar;
    private Ticket ticket;

    @BeforeEach
    void setUp() {
        db = TestDatabase.open(backend, tempDir);
        Clock clock = new StepClock();
        tickets = new TicketService(db.database(), clock);
        messages = new MessageService(db.database(), tickets, MessageLimits.DEFAULTS, clock);
        customer = Fixtures.user(db.database(), Role.CUSTOMER, "Cora");
        grace = Fixtures.user(db.database(), Role.AGENT, "Grace");
        omar = Fixtures.user(db.database(), Role.MANAGER, "Omar");
        ticket = tickets.create(customer, json("{'subject':'Printer on fire'}"));
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private TicketUpdate<Message> update(User actor, String body) {
        return tickets.update(actor, ticket.id(), json(body), messages::storeSystemMessage);
    }

    private ErrorCode updateError(User actor, String ticketId, String body) {
        return catchThrowableOfType(ApiException.class,
                () -> tickets.update(actor, ticketId, json(body), messages::storeSystemMessage)).code();
    }

    private List<String> historyContents() {
        HistoryPage page = messages.history(grace, new HistoryRequest(ticket.id(), 200, null));
        return page.messages().stream().map(Message::content).toList();
    }

    private void assertUnchanged() {
        assertThat(tickets.findVisible(grace, ticket.id())).isEqualTo(ticket);
        assertThat(historyContents()).isEmpty();
    }

    static Stream<String> invalidBodies() {
        return Stream.of("[]", "'open'", "null", "{}", "{'state':'open'}", "{'status':'open','note':'x'}",
                "{'status':null}", "{'status':'archived'}", "{'status':'OPEN'}", "{'status':1}",
                "{'priority':null}", "{'priority':'asap'}", "{'priority':['high']}",
                "{'assigneeId':''}", "{'assigneeId':42}", "{'assigneeId':{'id':'x'}}", "{'assigneeId':true}");
    }

    @Nested
    class Changes {
        @Test
        void statusChangeStoresSystemMessage() {
            TicketUpdate<Message> result = update(grace, "{'status':'resolved'}");

            Ticket updated = result.ticket();
            assertThat(updated.status()).isEqualTo(TicketStatus.RESOLVED);
            assertThat(updated.updatedAt()).isAfter(ticket.updatedAt());
            assertThat(updated.lastActivityAt()).isAfterOrEqualTo(updated.updatedAt());
            assertThat(tickets.findVisible(customer, ticket.id())).isEqualTo(updated);
            assertThat(result.systemMessages()).hasSize(1);
            Message note = result.systemMessages().get(0);
            assertThat(note.content()).isEqualTo("Status changed from open to resolved by Grace");
            assertThat(note.messageType()).isEqualTo("system");
            assertThat(note.sender()).isEqualTo(Sender.SYSTEM);
            assertThat(historyContents()).containsExactly(note.content());
        }

        @Test
        void priorityChangeStoresSystemMessage() {
            TicketUpdate<Message> result = update(grace, "{'priority':'urgent'}");

            assertThat(result.ticket().priority()).isEqualTo(TicketPriority.URGENT);
            assertThat(result.systemMessages()).extracting(Message::content)
                    .containsExactly("Priority changed from normal to urgent by Grace");
        }

        @Test
        void assignAndUnassignStoreSystemMessages() {
            TicketUpdate<Message> assigned = update(grace, "{'assigneeId':'" + omar.id() + "'}");
            TicketUpdate<Message> unassigned = update(grace, "{'assigneeId':null}");

            assertThat(assigned.ticket().assigneeId()).isEqualTo(omar.id());
            assertThat(unassigned.ticket().assigneeId()).isNull();
            assertThat(historyContents()).containsExactly("Assigned to Omar by Grace", "Unassigned by Grace");
        }

        @Test
        void severalChangesKeepFieldOrder() {
            TicketUpdate<Message> result = update(omar,
                    "{'assigneeId':'" + grace.id() + "','priority':'high','status':'pending'}");

            assertThat(result.ticket().status()).isEqualTo(TicketStatus.PENDING);
            assertThat(result.ticket().priority()).isEqualTo(TicketPriority.HIGH);
            assertThat(result.ticket().assigneeId()).isEqualTo(grace.id());
            List<String> expected = List.of("Status changed from open to pending by Omar",
                    "Priority changed from normal to high by Omar", "Assigned to Grace by Omar");
            assertThat(result.systemMessages()).extracting(Message::content).isEqualTo(expected);
            assertThat(historyContents()).isEqualTo(expected);
        }

        @Test
        void fieldsEqualToCurrentValueAreSkipped() {
            TicketUpdate<Message> result = update(grace, "{'status':'open','priority':'low'}");

            assertThat(result.systemMessages()).extracting(Message::content)
                    .containsExactly("Priority changed from normal to low by Grace");
        }

        @Test
        void requestThatChangesNothingWritesNothing() {
            TicketUpdate<Message> result = update(grace, "{'status':'open','priority':'normal','assigneeId':null}");

            assertThat(result.changed()).isFalse();
            assertThat(result.ticket()).isEqualTo(ticket);
            assertUnchanged();
        }

        @Test
        void updateMovesTicketToTopOfList() {
            Ticket newer = tickets.create(customer, json("{'subject':'Newer'}"));

            update(grace, "{'priority':'high'}");

            List<Ticket> listed = tickets.list(grace, null, null, null, null).tickets();
            assertThat(listed).extracting(Ticket::id).containsExactly(ticket.id(), newer.id());
        }

        @Test
        void failingMessageWriteRollsBackTheWholeUpdate() {
            SystemMessageWriter<Message> failOnSecond = new SystemMessageWriter<>() {
                private int calls;

                @Override
                public Message write(String ticketId, String content) {
                    if (++calls == 2) {
                        throw new IllegalStateException("store failed");
                    }
                    return messages.storeSystemMessage(ticketId, content);
                }
            };

            catchThrowableOfType(IllegalStateException.class, () -> tickets.update(grace, ticket.id(),
                    json("{'status':'closed','priority':'urgent'}"), failOnSecond));

            assertUnchanged();
        }
    }

    @Nested
    class Rejections {
        @ParameterizedTest
        @MethodSource("io.ticketchat.ticket.TicketUpdateTest#invalidBodies")
        void invalidBodyIsInvalidRequest(String body) {
            assertThat(updateError(grace, ticket.id(), body)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertUnchanged();
        }

        @Test
        void unknownAssigneeIsInvalidRequest() {
            assertThat(updateError(grace, ticket.id(), "{'assigneeId':'nobody'}")).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertUnchanged();
        }

        @Test
        void customerAssigneeIsInvalidRequest() {
            String body = "{'status':'pending','assigneeId':'" + customer.id() + "'}";

            assertThat(updateError(grace, ticket.id(), body)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertUnchanged();
        }

        @Test
        void customerIsForbiddenEvenOnOwnTicket() {
            assertThat(updateError(customer, ticket.id(), "{'status':'closed'}")).isEqualTo(ErrorCode.FORBIDDEN);
            assertUnchanged();
        }

        @Test
        void unknownTicketIsNotFound() {
            assertThat(updateError(grace, "no-such-ticket", "{'status':'closed'}"))
                    .isEqualTo(ErrorCode.TICKET_NOT_FOUND);
            assertThat(updateError(grace, "x".repeat(500), "{'status':'closed'}"))
                    .isEqualTo(ErrorCode.TICKET_NOT_FOUND);
        }
    }

    @Nested
    class ClosedTicket {
        private SendRequest text(String content) {
            return new SendRequest(ticket.id(), content, "text", List.of(), null);
        }

        @Test
        void customerCannotSendUntilStaffReopens() {
            update(grace, "{'status':'closed'}");

            ApiException closed = catchThrowableOfType(ApiException.class,
                    () -> messages.send(customer, text("Still broken")));
            Message agentNote = messages.send(grace, text("Closing note")).message();
            update(grace, "{'status':'open'}");
            Message reopened = messages.send(customer, text("Still broken")).message();

            assertThat(closed.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(agentNote.content()).isEqualTo("Closing note");
            assertThat(reopened.content()).isEqualTo("Still broken");
            assertThat(historyContents()).containsExactly("Status changed from open to closed by Grace",
                    "Closing note", "Status changed from closed to open by Grace", "Still broken");
        }
    }

    /** A clock that moves one millisecond per reading, so every write gets a later time than the one before. */
    private static final class StepClock extends Clock {
        private long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return Instant.ofEpochMilli(millis++);
        }
    }
}

package io.ticketchat.ticket;

import static io.ticketchat.testing.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.testing.Fixtures;
import io.ticketchat.testing.TestDatabase;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
class TicketServiceTest {
    @Parameter
    String backend;

    @TempDir
    Path tempDir;

    private TestDatabase db;
    private TicketService tickets;
    private User customer;
    private User otherCustomer;
    private User agent;

    @BeforeEach
    void setUp() {
        db = TestDatabase.open(backend, tempDir);
        tickets = new TicketService(db.database(), new StepClock());
        customer = Fixtures.user(db.database(), Role.CUSTOMER, "Cora");
        otherCustomer = Fixtures.user(db.database(), Role.CUSTOMER, "Otto");
        agent = Fixtures.user(db.database(), Role.AGENT, "Ada");
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private Ticket open(User owner, String subject) {
        return tickets.create(owner, json("{'subject':'" + subject + "'}"));
    }

    private ErrorCode createError(User user, String body) {
        return catchThrowableOfType(ApiException.class, () -> tickets.create(user, json(body))).code();
    }

    private ErrorCode listError(String status, String cursor, Integer limit) {
        return catchThrowableOfType(ApiException.class, () -> tickets.list(agent, status, null, cursor, limit)).code();
    }

    static Stream<String> invalidBodies() {
        return Stream.of("[]", "'subject'", "{}", "{'subject':null}", "{'subject':42}", "{'subject':'   '}",
                "{'subject':'" + "s".repeat(201) + "'}", "{'subject':'ok','description':7}",
                "{'subject':'ok','description':'" + "d".repeat(10_001) + "'}", "{'subject':'ok','priority':'asap'}",
                "{'subject':'ok','priority':3}", "{'subject':'a\\u0000b'}");
    }

    @Nested
    class Create {
        @Test
        void customerOpensTicketWithDefaults() {
            Ticket ticket = tickets.create(customer, json("{'subject':'  Broken login  '}"));

            assertThat(ticket.subject()).isEqualTo("Broken login");
            assertThat(ticket.description()).isEmpty();
            assertThat(ticket.status()).isEqualTo(TicketStatus.OPEN);
            assertThat(ticket.priority()).isEqualTo(TicketPriority.NORMAL);
            assertThat(ticket.customerId()).isEqualTo(customer.id());
            assertThat(ticket.assigneeId()).isNull();
            assertThat(tickets.findVisible(customer, ticket.id())).isEqualTo(ticket);
        }

        @Test
        void keepsDescriptionAndPriority() {
            Ticket ticket = tickets.create(customer,
                    json("{'subject':'S','description':'Details','priority':'urgent'}"));

            assertThat(ticket.description()).isEqualTo("Details");
            assertThat(ticket.priority()).isEqualTo(TicketPriority.URGENT);
        }

        @Test
        void staffCannotOpenTickets() {
            assertThat(createError(agent, "{'subject':'S'}")).isEqualTo(ErrorCode.FORBIDDEN);
        }

        @ParameterizedTest
        @MethodSource("io.ticketchat.ticket.TicketServiceTest#invalidBodies")
        void invalidBodyIsInvalidRequest(String body) {
            assertThat(createError(customer, body)).isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    @Nested
    class Visibility {
        @Test
        void customerSeesOnlyOwnTickets() {
            Ticket own = open(customer, "Mine");
            Ticket foreign = open(otherCustomer, "Theirs");

            ApiException error = catchThrowableOfType(ApiException.class,
                    () -> tickets.findVisible(customer, foreign.id()));

            assertThat(tickets.findVisible(customer, own.id())).isEqualTo(own);
            assertThat(error.code()).isEqualTo(ErrorCode.TICKET_NOT_FOUND);
            assertThat(tickets.list(customer, null, null, null, null).tickets()).containsExactly(own);
        }

        @Test
        void unknownTicketLooksLikeInvisibleOne() {
            ApiException unknown = catchThrowableOfType(ApiException.class,
                    () -> tickets.findVisible(customer, "no-such-id"));
            Ticket foreign = open(otherCustomer, "Theirs");
            ApiException invisible = catchThrowableOfType(ApiException.class,
                    () -> tickets.findVisible(customer, foreign.id()));

            assertThat(unknown.code()).isEqualTo(invisible.code());
            assertThat(unknown.clientMessage()).isEqualTo(invisible.clientMessage());
        }

        @Test
        void staffSeeAllTickets() {
            open(customer, "A");
            open(otherCustomer, "B");

            assertThat(tickets.list(agent, null, null, null, null).tickets()).hasSize(2);
        }
    }

    @Nested
    class Listing {
        @Test
        void pagesNewestActivityFirstWithCursor() {
            List<Ticket> created = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                created.add(open(customer, "T" + i));
            }

            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                TicketPage page = tickets.list(customer, null, null, cursor, 3);
                page.tickets().forEach(ticket -> seen.add(ticket.subject()));
                cursor = page.nextCursor();
                pages++;
            } while (cursor != null && pages < 10);

            assertThat(pages).isEqualTo(3);
            assertThat(seen).containsExactly("T6", "T5", "T4", "T3", "T2", "T1", "T0");
        }

        @Test
        void filtersByStatusAndAssignee() {
            Ticket open = open(customer, "Open");
            Ticket assigned = open(customer, "Assigned");
            db.database().withHandle("assign", handle -> handle.execute(
                    "UPDATE tickets SET status = 'pending', assignee_id = ? WHERE id = ?", agent.id(), assigned.id()));

            assertThat(tickets.list(agent, "open", null, null, null).tickets()).containsExactly(open);
            assertThat(tickets.list(agent, null, agent.id(), null, null).tickets())
                    .extracting(Ticket::id).containsExactly(assigned.id());
        }

        @Test
        void invalidFiltersAreInvalidRequest() {
            assertThat(listError("archived", null, null)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(listError(null, "!!not-a-cursor", null)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(listError(null, "djE6eDp5", null)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(listError(null, null, 0)).isEqualTo(ErrorCode.INVALID_REQUEST);
        }

        @Test
        void lastPageHasNullCursor() {
            open(customer, "Only");

            assertThat(tickets.list(customer, null, null, null, 1).nextCursor()).isNull();
        }
    }

    /** A clock that moves one millisecond per reading, so tickets get distinct activity times. */
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

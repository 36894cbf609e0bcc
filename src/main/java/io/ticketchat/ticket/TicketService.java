package io.ticketchat.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.db.Database;
import io.ticketchat.error.ApiException;
import io.ticketchat.text.UnicodeText;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import io.ticketchat.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Opening, listing and reading tickets, with the visibility rule: a customer sees only the tickets they
 * opened, staff see all, and an unknown ticket raises the same error as an invisible one.
 *
 * <p>Every method blocks on the database, so callers run it on the database executor. Thread-safe.
 */
public final class TicketService {
    /** Maximum subject length in Unicode code points. */
    public static final int MAX_SUBJECT_CODE_POINTS = 200;
    /** Maximum description length in Unicode code points. */
    public static final int MAX_DESCRIPTION_CODE_POINTS = 10_000;
    /** Tickets per page when the request names no limit. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Maximum tickets per page; larger limits are clamped to it. */
    public static final int MAX_PAGE_SIZE = 100;
    /** Maximum id length in chars for a lookup; longer ids cannot exist, so they are not found. */
    public static final int MAX_ID_CHARS = 128;

    private final Database database;
    private final TicketStore store;
    private final UserStore users;
    private final Clock clock;

    public TicketService(Database database) {
        this(database, Clock.systemUTC());
    }

    public TicketService(Database database, Clock clock) {
        this.database = database;
        this.store = new TicketStore(database);
        this.users = new UserStore(database);
        this.clock = clock;
    }

    /**
     * Opens a ticket for {@code customer} from a request body {@code {subject, description?, priority?}}.
     *
     * @throws ApiException {@code forbidden} unless the user is a customer; {@code invalid_request} naming the
     *     field when the body is not an object, the subject is not a string of 1..200 code points, the
     *     description is not a string of at most 10,000 code points, or the priority is not a known wire name
     */
    public Ticket create(User customer, JsonNode body) {
        if (customer.role() != Role.CUSTOMER) {
            throw ApiException.forbidden("Only customers can open tickets");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("request body must be a JSON object");
        }
        String subject = requiredText(body, "subject", MAX_SUBJECT_CODE_POINTS).strip();
        if (subject.isEmpty()) {
            throw ApiException.invalid("subject must not be blank");
        }
        String description = optionalText(body, "description", MAX_DESCRIPTION_CODE_POINTS);
        TicketPriority priority = parsePriority(body.get("priority"));

        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Ticket ticket = new Ticket(UUID.randomUUID().toString(), subject, description == null ? "" : description,
                TicketStatus.OPEN, priority, customer.id(), null, now, now, now);
        store.insert(ticket);
        return ticket;
    }

    /**
     * Lists the tickets {@code viewer} may see, newest activity first.
     *
     * @param status wire name to filter by, or null
     * @param assigneeId assignee to filter by, or null
     * @param cursor {@link TicketPage#nextCursor()} of the previous page, or null for the first page
     * @param limit page size, default 50, clamped to 100
     * @throws ApiException {@code invalid_request} for an unknown status, a cursor this service did not make,
     *     or a limit below 1
     */
    public TicketPage list(User viewer, String status, String assigneeId, String cursor, Integer limit) {
        if (status != null && TicketStatus.fromWire(status).isEmpty()) {
            throw ApiException.invalid("status must be one of open, pending, resolved, closed");
        }
        if (limit != null && limit < 1) {
            throw ApiException.invalid("limit must be a positive integer");
        }
        if (assigneeId != null && assigneeId.length() > MAX_ID_CHARS) {
            return new TicketPage(List.of(), null);
        }
        TicketCursor after = cursor == null || cursor.isEmpty() ? null : TicketCursor.decode(cursor);
        int pageSize = limit == null ? DEFAULT_PAGE_SIZE : Math.min(limit, MAX_PAGE_SIZE);
        String customerId = viewer.role().isStaff() ? null : viewer.id();

        // TODO(tickets): a ticket whose activity changes between two page requests can cross the cursor and
        //  be skipped or listed twice; bounding later pages by the first page's newest activity would fix it.
        List<Ticket> rows = store.list(customerId, status, assigneeId, after, pageSize + 1);
        if (rows.size() <= pageSize) {
            return new TicketPage(rows, null);
        }
        List<Ticket> page = List.copyOf(rows.subList(0, pageSize));
        return new TicketPage(page, TicketCursor.after(page.get(pageSize - 1)).encode());
    }

    /**
     * Returns the ticket if {@code viewer} may see it.
     *
     * @throws ApiException {@code ticket_not_found} for an unknown ticket and for another customer's ticket
     */
    public Ticket findVisible(User viewer, String ticketId) {
        if (ticketId == null || ticketId.isEmpty() || ticketId.length() > MAX_ID_CHARS) {
            throw ApiException.ticketNotFound();
        }
        Ticket ticket = store.findById(ticketId).orElseThrow(ApiException::ticketNotFound);
        if (!isVisible(viewer, ticket)) {
            throw ApiException.ticketNotFound();
        }
        return ticket;
    }

    /**
     * Applies a staff change {@code {status?, priority?, assigneeId?}} to a ticket. A field equal to the
     * current value is not a change. When something changes, one transaction updates the row, sets
     * {@code updatedAt} and {@code lastActivityAt}, and stores one system message per changed field through
     * {@code writer}, in the order status, priority, assignee. When nothing changes, nothing is written.
     *
     * @param writer stores each system message; runs inside the transaction, on the calling thread
     * @return the ticket as committed, with the stored system messages
     * @throws ApiException {@code forbidden} unless {@code actor} is staff; {@code invalid_request} for a body
     *     that {@link TicketUpdateRequest#parse} rejects or an assignee that is not a staff user;
     *     {@code ticket_not_found} for an unknown ticket
     */
    public <M> TicketUpdate<M> update(User actor, String ticketId, JsonNode body, SystemMessageWriter<M> writer) {
        if (!actor.role().isStaff()) {
            throw ApiException.forbidden("Only staff can update tickets");
        }
        TicketUpdateRequest request = TicketUpdateRequest.parse(body);
        if (ticketId == null || ticketId.isEmpty() || ticketId.length() > MAX_ID_CHARS) {
            throw ApiException.ticketNotFound();
        }

        // The store calls and the writer below join this transaction, because Database runs nested calls on
        // the same thread on one handle.
        return database.inTransaction("update ticket", handle -> {
            Ticket current = store.findByIdForUpdate(ticketId).orElseThrow(ApiException::ticketNotFound);
            User assignee = request.assigneeId() == null ? null : findStaff(request.assigneeId());
            List<String> notes = describeChanges(actor, current, request, assignee);
            if (notes.isEmpty()) {
                return new TicketUpdate<M>(current, List.of());
            }

            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            store.update(ticketId,
                    request.status() == null ? current.status() : request.status(),
                    request.priority() == null ? current.priority() : request.priority(),
                    request.assigneeGiven() ? request.assigneeId() : current.assigneeId(),
                    now);
            List<M> messages = new ArrayList<>(notes.size());
            for (String note : notes) {
                messages.add(writer.write(ticketId, note));
            }
            // Re-read because storing a message moves last_activity_at to the message's own time.
            Ticket updated = store.findById(ticketId).orElseThrow(
                    () -> new IllegalStateException("ticket " + ticketId + " disappeared while updating it"));
            return new TicketUpdate<>(updated, messages);
        });
    }

    private User findStaff(String userId) {
        return users.findById(userId)
                .filter(user -> user.role().isStaff())
                .orElseThrow(() -> ApiException.invalid("assigneeId must be the id of an agent, manager or admin"));
    }

    /** Returns one readable line per field the request changes, naming the staff member who changed it. */
    private static List<String> describeChanges(User actor, Ticket current, TicketUpdateRequest request,
            User assignee) {
        List<String> notes = new ArrayList<>(3);
        String byActor = " by " + actor.name();
        if (request.status() != null && request.status() != current.status()) {
            notes.add("Status changed from " + current.status().wireName() + " to " + request.status().wireName()
                    + byActor);
        }
        if (request.priority() != null && request.priority() != current.priority()) {
            notes.add("Priority changed from " + current.priority().wireName() + " to "
                    + request.priority().wireName() + byActor);
        }
        if (request.assigneeGiven() && !Objects.equals(request.assigneeId(), current.assigneeId())) {
            notes.add(assignee == null ? "Unassigned" + byActor : "Assigned to " + assignee.name() + byActor);
        }
        return notes;
    }

    /** Returns whether {@code viewer} may see {@code ticket}: staff see all, customers their own. */
    public static boolean isVisible(User viewer, Ticket ticket) {
        return viewer.role().isStaff() || ticket.customerId().equals(viewer.id());
    }

    private static String requiredText(JsonNode body, String field, int maxCodePoints) {
        String value = optionalText(body, field, maxCodePoints);
        if (value == null) {
            throw ApiException.invalid(field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode body, String field, int maxCodePoints) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(field + " must be a string");
        }
        String value = node.textValue();
        if (!UnicodeText.fitsCodePoints(value, maxCodePoints)) {
            throw ApiException.invalid(field + " must be at most " + maxCodePoints + " characters");
        }
        if (!UnicodeText.isStorable(value)) {
            throw ApiException.invalid(field + " must not contain NUL characters or unpaired surrogates");
        }
        return value;
    }

    private static TicketPriority parsePriority(JsonNode node) {
        if (node == null || node.isNull()) {
            return TicketPriority.NORMAL;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("priority must be a string");
        }
        return TicketPriority.fromWire(node.textValue()).orElseThrow(
                () -> ApiException.invalid("priority must be one of low, normal, high, urgent"));
    }
}

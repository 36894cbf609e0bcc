package io.ticketchat.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.db.Database;
import io.ticketchat.error.ApiException;
import io.ticketchat.ticket.Ticket;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.ticket.TicketStatus;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Chat messages of tickets: parsing client payloads, history pages, sending with idempotency, read receipts
 * and the messages the server writes itself.
 *
 * <p>The parse methods only validate and never touch the database. The other methods block on the database,
 * so callers run them on the database executor. Client sends go through {@link MessageWriter}, which calls
 * {@link #send} on its own thread. Thread-safe.
 */
public final class MessageService {
    private final MessageStore store;
    private final TicketService tickets;
    private final MessageRequestParser parser;
    private final Clock clock;

    public MessageService(Database database, TicketService tickets) {
        this(database, tickets, MessageLimits.DEFAULTS, Clock.systemUTC());
    }

    public MessageService(Database database, TicketService tickets, MessageLimits limits, Clock clock) {
        this.store = new MessageStore(database);
        this.tickets = tickets;
        this.parser = new MessageRequestParser(limits);
        this.clock = clock;
    }

    /**
     * Parses a {@code get_ticket_messages} payload: a ticket id string or {@code {ticketId, limit?, before?}}.
     * A limit that is not a positive integer (or a string of one) means the default; larger ones are clamped.
     *
     * @throws ApiException {@code invalid_request} for any other shape, or a ticket id or {@code before} that
     *     is not a non-empty string of at most 128 chars
     */
    public HistoryRequest parseHistoryRequest(JsonNode payload) {
        return parser.parseHistory(payload);
    }

    /**
     * Parses a history request from REST parameters, with the same rules as the socket payload.
     *
     * @param limit the {@code limit} query parameter, or null
     * @param before the {@code before} query parameter, or null
     */
    public HistoryRequest parseHistoryRequest(String ticketId, String limit, String before) {
        return parser.parseHistory(ticketId, limit, before);
    }

    /**
     * Parses a {@code send_message} payload {@code {ticketId, content, messageType?, attachments?,
     * clientMessageId?}}, taking {@code chatId} when {@code ticketId} is absent.
     *
     * @throws ApiException {@code message_too_long} for content over the code point limit;
     *     {@code invalid_request} for any other rule the payload breaks, with a message naming the field
     */
    public SendRequest parseSendRequest(JsonNode payload) {
        return parser.parseSend(payload);
    }

    /** Parses a REST send body; {@code ticketId} from the path replaces any ticket id in the body. */
    public SendRequest parseSendRequest(String ticketId, JsonNode body) {
        if (body == null || !body.isObject()) {
            return parser.parseSend(body);
        }
        ObjectNode withTicket = ((ObjectNode) body).deepCopy();
        withTicket.remove("chatId");
        withTicket.put("ticketId", ticketId);
        return parser.parseSend(withTicket);
    }

    /** Parses a {@code mark_read} payload {@code {ticketId, messageId}}. */
    public MarkReadRequest parseMarkReadRequest(JsonNode payload) {
        return parser.parseMarkRead(payload);
    }

    /**
     * Returns the latest {@code limit} messages of the ticket, or the {@code limit} just older than
     * {@code before}, oldest first. Reads at most {@code limit + 1} message rows.
     *
     * @throws ApiException {@code ticket_not_found} when the viewer may not see the ticket;
     *     {@code invalid_request} when {@code before} is not a message of this ticket
     */
    public HistoryPage history(User viewer, HistoryRequest request) {
        tickets.findVisible(viewer, request.ticketId());
        Long beforeSeq = null;
        if (request.beforeMessageId() != null) {
            beforeSeq = store.findSeq(request.ticketId(), request.beforeMessageId()).orElseThrow(
                    () -> ApiException.invalid("before must be the id of a message in this ticket"));
        }

        List<Message> newestFirst = store.listNewestFirst(request.ticketId(), beforeSeq, request.limit() + 1);
        boolean hasMore = newestFirst.size() > request.limit();
        List<Message> page = new ArrayList<>(newestFirst.subList(0, Math.min(request.limit(), newestFirst.size())));
        Collections.reverse(page);
        return new HistoryPage(request.ticketId(), List.copyOf(page), hasMore);
    }

    /**
     * Stores a message from {@code sender} and moves the ticket's last activity. It is durably committed when
     * this returns, unless a transaction is open on the calling thread: then it joins that transaction, as in
     * {@link MessageWriter}, and commits with it. When the sender already sent the same {@code clientMessageId}
     * in this ticket, returns that message with {@code created=false} and stores nothing; concurrent retries
     * store one row between them.
     *
     * @throws ApiException {@code ticket_not_found} when the sender may not see the ticket; {@code forbidden}
     *     when a customer sends into a closed ticket
     */
    public SendResult send(User sender, SendRequest request) {
        Ticket ticket = tickets.findVisible(sender, request.ticketId());
        if (sender.role() == Role.CUSTOMER && ticket.status() == TicketStatus.CLOSED) {
            throw ApiException.forbidden("This ticket is closed; open a new ticket to continue");
        }

        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        MessageStore.NewMessage row = new MessageStore.NewMessage(UUID.randomUUID().toString(), ticket.id(),
                sender.id(), request.content(), request.messageType(), request.attachments(),
                request.clientMessageId(), now);
        if (store.append(row)) {
            Sender author = new Sender(sender.id(), sender.name(), sender.role().wireName());
            return new SendResult(new Message(row.id(), ticket.id(), author, row.content(), row.messageType(),
                    row.attachments(), now, List.of(), row.clientMessageId()), true);
        }
        Message original = store.findByClientMessageId(ticket.id(), sender.id(), request.clientMessageId())
                .orElseThrow(() -> new IllegalStateException("duplicate message not found in ticket " + ticket.id()));
        return new SendResult(original, false);
    }

    /**
     * Marks every message of the ticket up to and including {@code messageId} as read by {@code reader},
     * except the reader's own.
     *
     * @throws ApiException {@code ticket_not_found} when the reader may not see the ticket;
     *     {@code invalid_request} when the message is not in this ticket
     */
    public ReadResult markRead(User reader, MarkReadRequest request) {
        tickets.findVisible(reader, request.ticketId());
        long seq = store.findSeq(request.ticketId(), request.messageId()).orElseThrow(
                () -> ApiException.invalid("messageId must be the id of a message in this ticket"));

        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int marked = store.markRead(request.ticketId(), reader.id(), seq, now);
        return new ReadResult(request.ticketId(), reader.id(), request.messageId(), now, marked > 0);
    }

    /**
     * Stores a {@code system} message, written by the server about the ticket (for example a status change),
     * and moves the ticket's last activity. No visibility check: callers have already authorised the change.
     *
     * @throws IllegalArgumentException when {@code content} is blank, too long or not storable
     */
    public Message storeSystemMessage(String ticketId, String content) {
        parser.checkServerContent(content);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        MessageStore.NewMessage row = new MessageStore.NewMessage(UUID.randomUUID().toString(), ticketId, null,
                content, "system", List.of(), null, now);
        store.append(row);
        return new Message(row.id(), ticketId, Sender.SYSTEM, content, "system", List.of(), now, List.of(), null);
    }
}

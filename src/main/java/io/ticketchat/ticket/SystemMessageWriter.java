package io.ticketchat.ticket;

/**
 * Stores a message the server writes into a ticket, such as "Status changed from open to resolved by Grace".
 * {@link TicketService#update} calls it on the thread and inside the transaction of the update, so the
 * message commits or rolls back with the ticket row. The message feature implements it, which keeps this
 * package free of a dependency on that one.
 *
 * @param <M> the stored message as the caller wants it back
 */
@FunctionalInterface
public interface SystemMessageWriter<M> {
    M write(String ticketId, String content);
}

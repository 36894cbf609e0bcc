package io.ticketchat.ticket;

import java.util.List;

/**
 * One page of a ticket list, newest activity first.
 *
 * @param nextCursor opaque cursor of the next page; null on the last page
 */
public record TicketPage(List<Ticket> tickets, String nextCursor) {
}

package io.ticketchat.message;

import java.util.List;

/**
 * One page of a ticket's history.
 *
 * @param messages oldest first
 * @param hasMore whether the ticket has messages older than the first one of this page
 */
public record HistoryPage(String ticketId, List<Message> messages, boolean hasMore) {
}

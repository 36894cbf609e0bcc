package io.ticketchat.ticket;

import java.util.List;

/**
 * The outcome of {@link TicketService#update}: the ticket as committed and the system messages stored with the
 * change, one per changed field, oldest first.
 *
 * @param <M> the type the {@link SystemMessageWriter} returns for a stored message
 * @param systemMessages empty when the request changed nothing
 */
public record TicketUpdate<M>(Ticket ticket, List<M> systemMessages) {
    public TicketUpdate {
        systemMessages = List.copyOf(systemMessages);
    }

    /** Returns whether the request changed at least one field. */
    public boolean changed() {
        return !systemMessages.isEmpty();
    }
}

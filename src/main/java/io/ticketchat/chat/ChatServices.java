package io.ticketchat.chat;

import io.ticketchat.auth.AuthService;
import io.ticketchat.auth.JwtService;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.MessageWriter;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.UserStore;

/**
 * The domain services the chat events call.
 *
 * @param messageWriter the writer that stores {@code send_message} events. The other message events use
 *     {@code messages}.
 */
public record ChatServices(
        JwtService jwt,
        AuthService auth,
        UserStore users,
        TicketService tickets,
        MessageService messages,
        MessageWriter messageWriter) {
}

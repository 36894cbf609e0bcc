package io.ticketchat.chat;

import io.ticketchat.auth.AuthService;
import io.ticketchat.auth.JwtService;
import io.ticketchat.message.MessageService;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.UserStore;

/** The domain services the chat events call. */
public record ChatServices(
        JwtService jwt,
        AuthService auth,
        UserStore users,
        TicketService tickets,
        MessageService messages) {
}

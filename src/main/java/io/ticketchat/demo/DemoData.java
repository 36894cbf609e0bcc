package io.ticketchat.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ticketchat.auth.AuthService;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.SendRequest;
import io.ticketchat.ticket.Ticket;
import io.ticketchat.ticket.TicketPage;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo accounts and a demo ticket for trying the server out: one agent, one customer with fixed, published
 * passwords, and one ticket with a greeting from the agent. {@link #ensure} creates what is missing and
 * changes nothing that exists, so it can run at every start. Only for demo mode: the passwords are public.
 */
public final class DemoData {
    public static final String AGENT_EMAIL = "demo-agent@example.com";
    public static final String AGENT_PASSWORD = "demo-agent-password";
    public static final String CUSTOMER_EMAIL = "demo-customer@example.com";
    public static final String CUSTOMER_PASSWORD = "demo-customer-password";

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final String GREETING_CLIENT_MESSAGE_ID = "demo-greeting";

    private DemoData() {
    }

    /** The demo users and ticket. */
    public record Demo(User agent, User customer, Ticket ticket) {
    }

    /** Creates the demo accounts, ticket and greeting unless they exist, and returns them. Blocks on the database. */
    public static Demo ensure(AuthService auth, TicketService tickets, MessageService messages) {
        User agent = auth.ensureAccount(AGENT_EMAIL, AGENT_PASSWORD, "Demo Agent", Role.AGENT);
        User customer = auth.ensureAccount(CUSTOMER_EMAIL, CUSTOMER_PASSWORD, "Demo Customer", Role.CUSTOMER);

        TicketPage existing = tickets.list(customer, null, null, null, 1);
        Ticket ticket = existing.tickets().isEmpty() ? createTicket(tickets, customer) : existing.tickets().get(0);

        // The fixed client message id makes the greeting idempotent if a previous start stopped half-way.
        SendRequest greeting = new SendRequest(ticket.id(), "Hello! I am the demo agent. How can I help you today?",
                "text", List.of(), GREETING_CLIENT_MESSAGE_ID);
        messages.send(agent, greeting);
        ticket = tickets.findVisible(customer, ticket.id());
        log.info("demo data ready agent={} customer={} ticket={}", agent.id(), customer.id(), ticket.id());
        return new Demo(agent, customer, ticket);
    }

    private static Ticket createTicket(TicketService tickets, User customer) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("subject", "Welcome to TicketChat")
                .put("description", "A demo ticket: reply here to try the live chat.");
        return tickets.create(customer, body);
    }
}

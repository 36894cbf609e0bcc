package io.ticketchat.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketchat.auth.AuthService;
import io.ticketchat.auth.JwtService;
import io.ticketchat.auth.PasswordHasher;
import io.ticketchat.db.Database;
import io.ticketchat.message.HistoryRequest;
import io.ticketchat.message.MessageService;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.Role;
import io.ticketchat.user.UserStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
    @TempDir
    Path tempDir;

    private static DemoData.Demo ensure(Database database) {
        AuthService auth = new AuthService(new UserStore(database),
                new JwtService("demo-secret-that-is-long-enough-for-hs256", Duration.ofHours(1)),
                new PasswordHasher(4));
        TicketService tickets = new TicketService(database);
        return DemoData.ensure(auth, tickets, new MessageService(database, tickets));
    }

    @Test
    void ensureIsIdempotentAcrossRestarts() {
        String url = Database.sqliteUrl(tempDir);
        DemoData.Demo first;
        try (Database database = Database.open(url)) {
            first = ensure(database);
        }

        try (Database database = Database.open(url)) {
            DemoData.Demo second = ensure(database);
            TicketService tickets = new TicketService(database);
            MessageService messages = new MessageService(database, tickets);

            assertThat(second).isEqualTo(first);
            assertThat(second.agent().role()).isEqualTo(Role.AGENT);
            assertThat(second.customer().role()).isEqualTo(Role.CUSTOMER);
            assertThat(tickets.list(second.agent(), null, null, null, null).tickets()).hasSize(1);
            assertThat(messages.history(second.customer(), new HistoryRequest(second.ticket().id(), 10, null))
                    .messages()).hasSize(1);
        }
    }
}

package io.ticketchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.db.Database;
import io.ticketchat.user.Role;
import io.ticketchat.user.User;
import io.ticketchat.user.UserStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Users and JSON for tests. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Inserts a user with {@code role} and a unique email, and returns it. */
    public static User user(Database database, Role role, String name) {
        String id = UUID.randomUUID().toString();
        User user = new User(id, id + "@example.com", name, role, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                User.DEFAULT_STATUS, null);
        new UserStore(database).insert(user, null);
        return user;
    }

    /** Parses JSON written with single quotes for readability. */
    public static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + singleQuoted, e);
        }
    }
}

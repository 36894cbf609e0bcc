package io.ticketchat.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketchat.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    private static final String INSERT_USER = "INSERT INTO users (id, email, email_key, name, role, status,"
            + " created_at) VALUES ('u1', 'a@example.com', 'a@example.com', 'A', 'agent', 'online', 1)";

    @TempDir
    Path tempDir;

    private static String pragma(Database database, String name) {
        return database.withHandle("read pragma", handle -> handle
                .createQuery("PRAGMA " + name).mapTo(String.class).one());
    }

    @Test
    void sqliteCreatesFolderAndRunsDurably() {
        Path dataDir = tempDir.resolve("nested/data");

        try (Database database = Database.open(Database.sqliteUrl(dataDir))) {
            assertThat(Files.exists(dataDir.resolve("ticketchat.db"))).isTrue();
            assertThat(pragma(database, "journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(pragma(database, "synchronous")).isEqualTo("2");
            assertThat(pragma(database, "foreign_keys")).isEqualTo("1");
            assertThat(Integer.parseInt(pragma(database, "busy_timeout"))).isPositive();
        }
    }

    @Test
    void dataSurvivesReopeningTheFile() {
        String url = Database.sqliteUrl(tempDir);
        try (Database database = Database.open(url)) {
            database.withHandle("insert", handle -> handle.execute("INSERT INTO users (id, email, email_key, name,"
                    + " role, status, created_at) VALUES ('u1', 'a@example.com', 'a@example.com', 'A', 'agent',"
                    + " 'online', 1)"));
        }

        try (Database reopened = Database.open(url)) {
            String name = reopened.withHandle("read", handle -> handle
                    .createQuery("SELECT name FROM users WHERE id = 'u1'").mapTo(String.class).one());

            assertThat(name).isEqualTo("A");
        }
    }

    @Test
    void foreignKeysAreEnforced() {
        try (Database database = Database.open(Database.sqliteUrl(tempDir))) {
            assertThatThrownBy(() -> database.withHandle("insert orphan", handle -> handle.execute(
                    "INSERT INTO tickets (id, subject, description, status, priority, customer_id, created_at,"
                            + " updated_at, last_activity_at) VALUES ('t', 's', '', 'open', 'normal', 'nobody', 1, 1,"
                            + " 1)")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("insert orphan");
        }
    }

    @Test
    void rejectsUnsupportedUrl() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://127.0.0.1/test"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postgresqlCommitsSynchronously() {
        try (TestDatabase db = TestDatabase.open(TestDatabase.POSTGRESQL, tempDir)) {
            String setting = db.database().withHandle("read setting", handle -> handle
                    .createQuery("SHOW synchronous_commit").mapTo(String.class).one());

            assertThat(setting).isEqualTo("on");
            db.database().ping();
        }
    }

    @Test
    void nestedCallsJoinTheOuterTransaction() {
        try (Database database = Database.open(Database.sqliteUrl(tempDir))) {
            assertThatThrownBy(() -> database.inTransaction("outer", outer -> {
                database.inTransaction("inner", inner -> inner.execute(INSERT_USER));
                database.withHandle("nested", nested -> nested.execute("UPDATE users SET name = 'B'"));
                throw new IllegalStateException("roll back");
            })).isInstanceOf(IllegalStateException.class);

            int users = database.withHandle("count", handle -> handle
                    .createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
            assertThat(users).isZero();
        }
    }
}

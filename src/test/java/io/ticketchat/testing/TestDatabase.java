package io.ticketchat.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ticketchat.db.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh database for one test: an SQLite file in a temporary folder, or a new schema in the PostgreSQL
 * database {@code test} on 127.0.0.1:5432, dropped on close. PostgreSQL tests are skipped when it is not
 * reachable.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String SQLITE = "sqlite";
    public static final String POSTGRESQL = "postgresql";

    private static final String POSTGRES_URL =
            System.getProperty("ticketchat.test.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/test");
    private static volatile String postgresUser;
    private static volatile boolean postgresProbed;

    private final Database database;
    private final String schema;

    private TestDatabase(Database database, String schema) {
        this.database = database;
        this.schema = schema;
    }

    public static TestDatabase open(String backend, Path tempDir) {
        if (SQLITE.equals(backend)) {
            return new TestDatabase(Database.open(Database.sqliteUrl(tempDir.resolve("data"))), null);
        }
        String user = postgresUser();
        assumeTrue(user != null, "PostgreSQL is not reachable at " + POSTGRES_URL + "; to run these tests, start"
                + " PostgreSQL on 127.0.0.1:5432 with a database named test that user postgres or the OS user can"
                + " open without a password");
        String schema = "tc_test_" + UUID.randomUUID().toString().replace("-", "");
        execute(user, "CREATE SCHEMA " + schema);
        String url = POSTGRES_URL + "?user=" + user + "&currentSchema=" + schema;
        return new TestDatabase(Database.open(url, 8), schema);
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        database.close();
        if (schema != null) {
            execute(postgresUser, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static synchronized String postgresUser() {
        if (!postgresProbed) {
            postgresProbed = true;
            for (String user : List.of("postgres", System.getProperty("user.name"))) {
                if (canConnect(user)) {
                    postgresUser = user;
                    break;
                }
            }
        }
        return postgresUser;
    }

    private static boolean canConnect(String user) {
        try (Connection ignored = connect(user)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection connect(String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("connectTimeout", "2");
        return DriverManager.getConnection(POSTGRES_URL, properties);
    }

    private static void execute(String user, String sql) {
        try (Connection connection = connect(user); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database set-up failed: " + sql, e);
        }
    }
}

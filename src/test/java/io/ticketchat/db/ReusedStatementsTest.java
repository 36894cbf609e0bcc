package io.ticketchat.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReusedStatementsTest {
    private static final String COUNT = "SELECT count(*) FROM users WHERE role = :role";

    @TempDir
    Path tempDir;

    @Test
    void sameSqlIsPreparedOnce() throws SQLException {
        CountingBuilder counting = new CountingBuilder();
        ReusedStatements reused = new ReusedStatements(counting);
        try (Handle handle = Jdbi.open("jdbc:sqlite:" + tempDir.resolve("a.db"))) {
            handle.execute("CREATE TABLE users (id TEXT, role TEXT)");
            handle.execute("INSERT INTO users VALUES ('u1', 'agent'), ('u2', 'customer')");
            handle.setStatementBuilder(reused);

            int agents = handle.createQuery(COUNT).bind("role", "agent").mapTo(Integer.class).one();
            int customers = handle.createQuery(COUNT).bind("role", "customer").mapTo(Integer.class).one();
            int admins = handle.createQuery(COUNT).bind("role", "admin").mapTo(Integer.class).one();

            assertThat(agents).isEqualTo(1);
            assertThat(customers).isEqualTo(1);
            assertThat(admins).isZero();
            assertThat(counting.prepared).hasSize(1);
            assertThat(counting.closed).isEmpty();

            reused.closeAll();
            assertThat(counting.prepared.get(0).isClosed()).isTrue();
        }
    }

    @Test
    void statementInUseIsNotHandedOutTwice() throws SQLException {
        CountingBuilder counting = new CountingBuilder();
        ReusedStatements reused = new ReusedStatements(counting);
        try (Handle handle = Jdbi.open("jdbc:sqlite:" + tempDir.resolve("b.db"))) {
            handle.execute("CREATE TABLE users (id TEXT, role TEXT)");
            handle.execute("INSERT INTO users VALUES ('u1', 'agent'), ('u2', 'agent')");
            handle.setStatementBuilder(reused);

            List<String> pairs = new ArrayList<>();
            try (var outer = handle.createQuery("SELECT id FROM users ORDER BY id").mapTo(String.class).stream()) {
                outer.forEach(id -> pairs.add(id + ":" + handle.createQuery("SELECT id FROM users ORDER BY id")
                        .mapTo(String.class).first()));
            }

            assertThat(pairs).containsExactly("u1:u1", "u2:u1");
            assertThat(counting.prepared).hasSize(2);
            assertThat(counting.prepared.get(0)).isNotSameAs(counting.prepared.get(1));

            reused.closeAll();
            assertThat(counting.prepared).allMatch(ReusedStatementsTest::isClosed);
        }
    }

    private static boolean isClosed(Statement statement) {
        try {
            return statement.isClosed();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prepares through JDBI's default builder and records what it prepared and closed. */
    private static final class CountingBuilder extends DefaultStatementBuilder {
        final List<PreparedStatement> prepared = new ArrayList<>();
        final List<Statement> closed = new ArrayList<>();

        @Override
        public PreparedStatement create(Connection connection, String sql, StatementContext context)
                throws SQLException {
            PreparedStatement statement = super.create(connection, sql, context);
            prepared.add(statement);
            return statement;
        }

        @Override
        public void close(Connection connection, String sql, Statement statement) throws SQLException {
            closed.add(statement);
            super.close(connection, sql, statement);
        }
    }
}

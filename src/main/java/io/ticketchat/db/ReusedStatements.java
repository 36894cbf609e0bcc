package io.ticketchat.db;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A JDBI statement builder that prepares each SQL text once and hands the same prepared statement out again
 * after JDBI is done with it. A batch transaction runs the same few statements for every task, and preparing
 * them anew each time cost SQLite a parse per statement.
 *
 * <p>A statement JDBI still uses (its result set open) is never handed out twice: a second request for the same
 * SQL text meanwhile prepares another one. Statements asking for generated keys or updatable result sets are not
 * reused. One transaction on one thread owns an instance, which is not thread-safe. The owner calls
 * {@link #closeAll} before the connection goes back to the pool.
 */
final class ReusedStatements implements StatementBuilder {
    private final StatementBuilder fallback;
    private final Map<String, PreparedStatement> idle = new HashMap<>();
    /** Statements handed out and not yet closed, with the SQL text they were prepared from. */
    private final Map<Statement, String> inUse = new IdentityHashMap<>();
    private final List<PreparedStatement> all = new ArrayList<>();

    ReusedStatements(StatementBuilder fallback) {
        this.fallback = fallback;
    }

    @Override
    public Statement create(Connection connection, StatementContext context) throws SQLException {
        return fallback.create(connection, context);
    }

    @Override
    public PreparedStatement create(Connection connection, String sql, StatementContext context)
            throws SQLException {
        if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable()) {
            return fallback.create(connection, sql, context);
        }
        PreparedStatement statement = idle.remove(sql);
        if (statement == null) {
            statement = fallback.create(connection, sql, context);
            all.add(statement);
        } else {
            statement.clearParameters();
        }
        inUse.put(statement, sql);
        return statement;
    }

    @Override
    public CallableStatement createCall(Connection connection, String sql, StatementContext context)
            throws SQLException {
        return fallback.createCall(connection, sql, context);
    }

    @Override
    public void close(Connection connection, String sql, Statement statement) throws SQLException {
        // JDBI passes the SQL text as written here, with named parameters, not the parsed text create() got.
        String prepared = inUse.remove(statement);
        if (prepared == null) {
            fallback.close(connection, sql, statement);
            return;
        }
        // When a statement of the same text is idle already, this one stays unused until closeAll.
        idle.putIfAbsent(prepared, (PreparedStatement) statement);
    }

    /** Closes every statement this builder prepared. The first failure, if any, is thrown after all were tried. */
    void closeAll() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : all) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        all.clear();
        idle.clear();
        inUse.clear();
        if (first != null) {
            throw first;
        }
    }
}

package io.ticketchat.db;

import java.sql.SQLException;

/**
 * A database operation that failed, named by the store that ran it, with the SQL state of the driver's error.
 *
 * <p>Stores wrap a driver or JDBI failure in this exception exactly once. It is not a client error: the
 * boundaries log it and reply with {@code internal}, so its message may name tables but is never sent out.
 */
public final class StoreException extends RuntimeException {
    private final String operation;
    private final String sqlState;

    StoreException(String operation, Throwable cause) {
        super(describe(operation, cause), cause);
        this.operation = operation;
        this.sqlState = findSqlState(cause);
    }

    /** Returns the operation that failed, for example {@code insert message}. */
    public String operation() {
        return operation;
    }

    /** Returns the SQL state of the first {@link SQLException} in the cause chain, or null when there is none. */
    public String sqlState() {
        return sqlState;
    }

    private static String describe(String operation, Throwable cause) {
        String state = findSqlState(cause);
        return "database operation failed: " + operation + (state == null ? "" : " (sql_state=" + state + ")");
    }

    private static String findSqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }
}

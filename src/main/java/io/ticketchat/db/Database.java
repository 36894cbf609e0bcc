package io.ticketchat.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the schema and the JDBI entry point for one database: an SQLite file or PostgreSQL.
 *
 * <p>{@link #open} migrates the schema with Flyway before it returns. Both kinds commit durably: SQLite runs
 * in WAL mode with {@code synchronous=FULL}, foreign keys on and a busy timeout, and opens every explicit
 * transaction with {@code BEGIN IMMEDIATE}, so a transaction that reads and then writes waits for the write
 * lock instead of failing. PostgreSQL sessions run with {@code synchronous_commit=on}.
 *
 * <p>Stores run their SQL through {@link #withHandle} and {@link #inTransaction}, which wrap any driver
 * failure once in a {@link StoreException} naming the operation. {@link #inBatchTransaction} runs many tasks in
 * one transaction with a savepoint each. The caller owns the instance and releases the pool with {@link #close}.
 */
public final class Database implements AutoCloseable {
    /** Default number of pooled connections. */
    public static final int DEFAULT_POOL_SIZE = 8;

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
    // One savepoint name for every task of a batch: tasks run one after another, so there is never more than one
    // open, and the same three SQL texts can be prepared once per batch.
    private static final String SET_TASK_SAVEPOINT = "SAVEPOINT batch_task";
    private static final String ROLLBACK_TO_TASK_SAVEPOINT = "ROLLBACK TO SAVEPOINT batch_task";
    private static final String RELEASE_TASK_SAVEPOINT = "RELEASE SAVEPOINT batch_task";

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean sqlite;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.sqlite = sqlite;
    }

    /** Returns the URL of the SQLite file {@code ticketchat.db} in {@code dataDir}. */
    public static String sqliteUrl(Path dataDir) {
        return SQLITE_PREFIX + dataDir.resolve("ticketchat.db").toAbsolutePath();
    }

    /** Opens the database at {@code jdbcUrl} with {@link #DEFAULT_POOL_SIZE} connections. */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens a pool of {@code poolSize} connections to {@code jdbcUrl} and migrates the schema.
     *
     * @param jdbcUrl {@code jdbc:sqlite:PATH} (the parent folder is created) or {@code jdbc:postgresql://...}
     * @throws IllegalArgumentException for any other kind of URL
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static Database open(String jdbcUrl, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
        String lowerUrl = jdbcUrl.toLowerCase(Locale.ROOT);
        boolean sqlite = lowerUrl.startsWith(SQLITE_PREFIX);
        if (!sqlite && !lowerUrl.startsWith(POSTGRESQL_PREFIX)) {
            throw new IllegalArgumentException("database URL must start with jdbc:sqlite: or jdbc:postgresql:");
        }

        HikariConfig config = new HikariConfig();
        config.setPoolName(sqlite ? "sqlite" : "postgresql");
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        if (sqlite) {
            createParentFolder(jdbcUrl.substring(SQLITE_PREFIX.length()));
            configureSqlite(config);
        } else {
            config.setConnectionInitSql("SET synchronous_commit = on");
        }

        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("open connection pool", e);
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("migrate schema", e);
        }
        log.info("database ready kind={} pool_size={}", config.getPoolName(), poolSize);
        return new Database(dataSource, sqlite);
    }

    /** Returns whether this is an SQLite database (otherwise PostgreSQL). */
    public boolean isSqlite() {
        return sqlite;
    }

    /** Runs {@code callback} on a pooled handle in auto-commit mode. */
    public <T> T withHandle(String operation, HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw new StoreException(operation, e);
        }
    }

    /**
     * Runs {@code callback} in one transaction and commits it, or rolls it back when the callback throws.
     * An exception thrown by the callback itself (not by the driver) passes through unchanged.
     *
     * <p>{@link #withHandle} and {@code inTransaction} calls that the callback makes on the same thread run on
     * the same handle and join this transaction, because JDBI keeps the open handle per thread. So one store
     * method can be composed with another's inside a single transaction.
     */
    public <T> T inTransaction(String operation, HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.inTransaction(callback);
        } catch (JdbiException e) {
            throw new StoreException(operation, e);
        }
    }

    /**
     * Runs every task in one transaction, each under its own savepoint, and commits once. A task that throws a
     * {@link RuntimeException} is rolled back to its savepoint, so it leaves nothing behind and the later tasks
     * still run. Its exception takes its place in the result. Without the savepoint, PostgreSQL would reject
     * every later statement of the transaction after the first error.
     *
     * <p>Tasks run on the calling thread, so their store calls join this transaction as in {@link #inTransaction}.
     * Each SQL text the tasks run is prepared once per batch and reused ({@link ReusedStatements}).
     * An {@link Error} thrown by a task ends the call, and nothing of any task is committed.
     *
     * @return one outcome per task, in the order of {@code tasks}. The values of the successful ones are committed.
     * @throws StoreException when the transaction cannot begin, a savepoint cannot be set, released or rolled
     *     back to, or the commit fails. Then nothing of any task is stored.
     */
    public <T> List<TaskOutcome<T>> inBatchTransaction(String operation, List<? extends Supplier<T>> tasks) {
        return inTransaction(operation, handle -> {
            StatementBuilder previous = handle.getStatementBuilder();
            ReusedStatements reused = new ReusedStatements(previous);
            handle.setStatementBuilder(reused);
            try {
                List<TaskOutcome<T>> outcomes = new ArrayList<>(tasks.size());
                for (Supplier<T> task : tasks) {
                    outcomes.add(runUnderSavepoint(handle, task));
                }
                return outcomes;
            } finally {
                handle.setStatementBuilder(previous);
                closeReused(operation, reused);
            }
        });
    }

    private static void closeReused(String operation, ReusedStatements reused) {
        try {
            reused.closeAll();
        } catch (SQLException e) {
            // The batch is not at stake. The statements belong to a pooled connection, so a failed close only
            // keeps their native memory until that connection closes.
            log.warn("closing reused statements failed operation={} error={}", operation, e.getMessage());
        }
    }

    private static <T> TaskOutcome<T> runUnderSavepoint(Handle handle, Supplier<T> task) {
        handle.execute(SET_TASK_SAVEPOINT);
        T value;
        try {
            value = task.get();
        } catch (RuntimeException failure) {
            try {
                handle.execute(ROLLBACK_TO_TASK_SAVEPOINT);
                handle.execute(RELEASE_TASK_SAVEPOINT);
            } catch (RuntimeException broken) {
                broken.addSuppressed(failure);
                throw broken;
            }
            return new TaskOutcome<>(null, failure);
        }
        handle.execute(RELEASE_TASK_SAVEPOINT);
        return new TaskOutcome<>(value, null);
    }

    /** Runs {@code SELECT 1}, for the readiness check. */
    public void ping() {
        withHandle("ping", (Handle handle) -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * The outcome of one task of {@link #inBatchTransaction}: its value, or the exception it threw.
     *
     * @param value the task's result when it succeeded, null when it failed
     * @param failure the task's exception, or null when it succeeded
     */
    public record TaskOutcome<T>(T value, RuntimeException failure) {
        public boolean succeeded() {
            return failure == null;
        }
    }

    // TODO(db): a busy SQLite lock past the timeout or an exhausted pool surfaces as StoreException and so
    //  as internal; mapping those two cases to overloaded would let clients retry.
    private static void configureSqlite(HikariConfig config) {
        // sqlite-jdbc reads these driver properties as PRAGMAs on every new connection.
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "FULL");
        config.addDataSourceProperty("foreign_keys", "true");
        config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MILLIS));
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    }

    private static void createParentFolder(String pathPart) {
        int query = pathPart.indexOf('?');
        String path = query < 0 ? pathPart : pathPart.substring(0, query);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database folder " + parent, e);
        }
    }

    private static void migrate(HikariDataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}

package io.ticketchat.ticket;

import io.ticketchat.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/** JDBC access to the {@code tickets} table. Thread-safe; every call borrows a pooled connection. */
final class TicketStore {
    private static final String COLUMNS = "id, subject, description, status, priority, customer_id, assignee_id,"
            + " created_at, updated_at, last_activity_at";

    private final Database database;

    TicketStore(Database database) {
        this.database = database;
    }

    void insert(Ticket ticket) {
        database.withHandle("insert ticket", handle -> handle
                .createUpdate("INSERT INTO tickets (" + COLUMNS + ")"
                        + " VALUES (:id, :subject, :description, :status, :priority, :customerId, :assigneeId,"
                        + " :createdAt, :updatedAt, :lastActivityAt)")
                .bind("id", ticket.id())
                .bind("subject", ticket.subject())
                .bind("description", ticket.description())
                .bind("status", ticket.status().wireName())
                .bind("priority", ticket.priority().wireName())
                .bind("customerId", ticket.customerId())
                .bind("assigneeId", ticket.assigneeId())
                .bind("createdAt", ticket.createdAt().toEpochMilli())
                .bind("updatedAt", ticket.updatedAt().toEpochMilli())
                .bind("lastActivityAt", ticket.lastActivityAt().toEpochMilli())
                .execute());
    }

    Optional<Ticket> findById(String id) {
        return database.withHandle("find ticket", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM tickets WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /**
     * Reads a ticket and, on PostgreSQL, locks its row until the caller's transaction ends. SQLite needs no row
     * lock because every transaction there starts with {@code BEGIN IMMEDIATE} and so holds the write lock.
     */
    Optional<Ticket> findByIdForUpdate(String id) {
        String lock = database.isSqlite() ? "" : " FOR UPDATE";
        return database.withHandle("lock ticket", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM tickets WHERE id = :id" + lock)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** Sets the fields staff can change, and moves {@code updated_at} and {@code last_activity_at} to {@code at}. */
    void update(String id, TicketStatus status, TicketPriority priority, String assigneeId, Instant at) {
        int updated = database.withHandle("update ticket", handle -> handle
                .createUpdate("UPDATE tickets SET status = :status, priority = :priority, assignee_id = :assigneeId,"
                        + " updated_at = :at, last_activity_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("status", status.wireName())
                .bind("priority", priority.wireName())
                .bind("assigneeId", assigneeId)
                .bind("at", at.toEpochMilli())
                .execute());
        if (updated == 0) {
            throw new IllegalStateException("ticket " + id + " disappeared while updating it");
        }
    }

    /**
     * Returns at most {@code limit} tickets matching the filters, ordered by last activity and then id, both
     * descending, starting just after {@code after}.
     *
     * @param customerId only this customer's tickets; null for all
     * @param status wire name to filter by; null for all
     * @param assigneeId assignee to filter by; null for all
     * @param after position of the last ticket of the previous page; null for the first page
     */
    List<Ticket> list(String customerId, String status, String assigneeId, TicketCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tickets WHERE 1 = 1");
        if (customerId != null) {
            sql.append(" AND customer_id = :customerId");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (assigneeId != null) {
            sql.append(" AND assignee_id = :assigneeId");
        }
        if (after != null) {
            sql.append(" AND (last_activity_at < :afterActivity"
                    + " OR (last_activity_at = :afterActivity AND id < :afterId))");
        }
        sql.append(" ORDER BY last_activity_at DESC, id DESC LIMIT :limit");

        return database.withHandle("list tickets", handle -> {
            Query query = handle.createQuery(sql.toString()).bind("limit", limit);
            bindIfPresent(query, "customerId", customerId);
            bindIfPresent(query, "status", status);
            bindIfPresent(query, "assigneeId", assigneeId);
            if (after != null) {
                query.bind("afterActivity", after.lastActivityMillis()).bind("afterId", after.ticketId());
            }
            return query.map((rs, ctx) -> map(rs)).list();
        });
    }

    private static void bindIfPresent(Query query, String name, String value) {
        if (value != null) {
            query.bind(name, value);
        }
    }

    static Ticket map(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        return new Ticket(
                id,
                rs.getString("subject"),
                rs.getString("description"),
                TicketStatus.fromWire(rs.getString("status")).orElseThrow(
                        () -> new SQLException("unknown status in tickets row " + id)),
                TicketPriority.fromWire(rs.getString("priority")).orElseThrow(
                        () -> new SQLException("unknown priority in tickets row " + id)),
                rs.getString("customer_id"),
                rs.getString("assignee_id"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                Instant.ofEpochMilli(rs.getLong("last_activity_at")));
    }
}

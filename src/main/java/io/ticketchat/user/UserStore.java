package io.ticketchat.user;

import io.ticketchat.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * JDBC access to the {@code users} table. Emails are unique ignoring case: the store keeps a lower-cased copy
 * under a unique index. Thread-safe; every call borrows a pooled connection, so run it on the database
 * executor.
 */
public final class UserStore {
    /** Presence statuses a user can choose. */
    public static final Set<String> STATUSES = Set.of("online", "away", "busy");

    private static final String COLUMNS =
            "id, email, name, role, created_at, status, last_seen_at, password_hash";

    private final Database database;

    public UserStore(Database database) {
        this.database = database;
    }

    /** Returns the key under which {@code email} is unique: trimmed and lower-cased. */
    public static String emailKey(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Inserts {@code user}, unless its id or its email (ignoring case) is taken.
     *
     * @param passwordHash BCrypt hash, or null for a user without a password
     * @return false when nothing was inserted because the id or the email already exists
     */
    public boolean insert(User user, String passwordHash) {
        return insert(user, passwordHash, user.email() == null ? null : emailKey(user.email()));
    }

    /** Inserts {@code user} without claiming its email, so it never conflicts with an account's address. */
    public boolean insertWithoutEmailKey(User user) {
        return insert(user, null, null);
    }

    public Optional<User> findById(String id) {
        return database.withHandle("find user by id", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> mapUser(rs))
                .findOne());
    }

    /** Returns the user registered with {@code email} (ignoring case) and their password hash. */
    public Optional<StoredCredentials> findCredentialsByEmail(String email) {
        return database.withHandle("find user by email", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM users WHERE email_key = :key")
                .bind("key", emailKey(email))
                .map(UserStore::mapCredentials)
                .findOne());
    }

    /** Sets the name and role, as a newer token states them; returns false when the user does not exist. */
    public boolean updateProfile(String id, String name, Role role) {
        return database.withHandle("update user profile", handle -> handle
                .createUpdate("UPDATE users SET name = :name, role = :role WHERE id = :id")
                .bind("id", id)
                .bind("name", name)
                .bind("role", role.wireName())
                .execute()) > 0;
    }

    /** Stores the presence status the user chose, one of {@link #STATUSES}. */
    public boolean updateStatus(String id, String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("unknown presence status: " + status);
        }
        return database.withHandle("update user status", handle -> handle
                .createUpdate("UPDATE users SET status = :status WHERE id = :id")
                .bind("id", id)
                .bind("status", status)
                .execute()) > 0;
    }

    /** Stores when the user's last connection closed. */
    public boolean updateLastSeen(String id, Instant lastSeenAt) {
        return database.withHandle("update user last seen", handle -> handle
                .createUpdate("UPDATE users SET last_seen_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("at", lastSeenAt.toEpochMilli())
                .execute()) > 0;
    }

    /** Stores that the user has an open connection. */
    public boolean markOnline(String id) {
        return database.withHandle("mark user online", handle -> handle
                .createUpdate("UPDATE users SET presence = 'online' WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
    }

    /** Stores that the user went offline, and when their last connection closed. */
    public boolean markOffline(String id, Instant lastSeenAt) {
        return database.withHandle("mark user offline", handle -> handle
                .createUpdate("UPDATE users SET presence = 'offline', last_seen_at = :at WHERE id = :id")
                .bind("id", id)
                .bind("at", lastSeenAt.toEpochMilli())
                .execute()) > 0;
    }

    /**
     * Sets every user still stored as online to offline, for a server start after a crash or a kill: nothing
     * waits for a goodbye that never came. Their {@code last_seen_at} keeps its last stored value.
     *
     * @return the number of users changed
     */
    public int resetPresence() {
        return database.withHandle("reset presence", handle -> handle
                .createUpdate("UPDATE users SET presence = 'offline' WHERE presence <> 'offline'")
                .execute());
    }

    /** Returns every agent, manager and admin, ordered by name. */
    public List<User> listStaff() {
        return database.withHandle("list staff", handle -> handle
                .createQuery("SELECT " + COLUMNS + " FROM users WHERE role <> :customer ORDER BY name, id")
                .bind("customer", Role.CUSTOMER.wireName())
                .map((rs, ctx) -> mapUser(rs))
                .list());
    }

    private boolean insert(User user, String passwordHash, String emailKey) {
        return database.withHandle("insert user", handle -> handle
                .createUpdate("INSERT INTO users (id, email, email_key, name, role, password_hash, status,"
                        + " last_seen_at, created_at)"
                        + " VALUES (:id, :email, :emailKey, :name, :role, :hash, :status, :lastSeen, :createdAt)"
                        + " ON CONFLICT DO NOTHING")
                .bind("id", user.id())
                .bind("email", user.email())
                .bind("emailKey", emailKey)
                .bind("name", user.name())
                .bind("role", user.role().wireName())
                .bind("hash", passwordHash)
                .bind("status", user.status())
                .bind("lastSeen", user.lastSeenAt() == null ? null : user.lastSeenAt().toEpochMilli())
                .bind("createdAt", user.createdAt().toEpochMilli())
                .execute()) > 0;
    }

    private static StoredCredentials mapCredentials(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StoredCredentials(mapUser(rs), rs.getString("password_hash"));
    }

    private static User mapUser(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        long lastSeen = rs.getLong("last_seen_at");
        boolean neverSeen = rs.wasNull();
        return new User(
                id,
                rs.getString("email"),
                rs.getString("name"),
                Role.fromWire(rs.getString("role")).orElseThrow(
                        () -> new SQLException("unknown role in users row " + id)),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getString("status"),
                neverSeen ? null : Instant.ofEpochMilli(lastSeen));
    }
}

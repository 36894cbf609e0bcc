package io.ticketchat.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server's settings, immutable once built and validated at start.
 *
 * <p>{@link #validate()} reports every problem together, so an operator fixes a bad start in one go.
 * {@link #toString()} never shows the JWT secret or database credentials.
 *
 * @param host bind address
 * @param port HTTP port; 0 picks a free one
 * @param dataDir folder of the embedded SQLite store and of demo-mode files
 * @param databaseUrl JDBC URL; null means the SQLite file {@code ticketchat.db} in {@code dataDir}
 * @param redisUrl Redis URL for cluster mode; null means a single node
 * @param jwtSecret HS256 signing secret, at least 32 bytes
 * @param tokenTtl lifetime of the tokens the REST login issues
 * @param presenceGrace how long a staff user stays present after their last connection closes
 * @param typingTimeout how long a typing state lasts without a new {@code isTyping: true}
 * @param demo whether demo accounts and a demo ticket are created on start
 * @param pingInterval Engine.IO heartbeat interval
 * @param pingTimeout how long the server waits for a pong before it closes the session
 * @param limits the bounds that keep memory and work per client finite
 * @param auditInterval time between runs of the state audit; zero disables it
 * @param webSocketCompression whether WebSocket per-message deflate is offered; off by default, because each
 *     compressed connection keeps its own zlib state in native memory (not measured here)
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        String databaseUrl,
        String redisUrl,
        String jwtSecret,
        Duration tokenTtl,
        Duration presenceGrace,
        Duration typingTimeout,
        boolean demo,
        Duration pingInterval,
        Duration pingTimeout,
        LimitsConfig limits,
        Duration auditInterval,
        boolean webSocketCompression) {

    /** Default time between runs of the state audit. */
    public static final Duration DEFAULT_AUDIT_INTERVAL = Duration.ofMinutes(5);

    /** The smallest accepted HS256 secret, in bytes: RFC 7518 requires a key at least as long as the hash. */
    public static final int MIN_SECRET_BYTES = 32;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(presenceGrace, "presenceGrace");
        Objects.requireNonNull(typingTimeout, "typingTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(auditInterval, "auditInterval");
    }

    /** Creates a configuration whose state audit runs every {@link #DEFAULT_AUDIT_INTERVAL}. */
    public ServerConfig(String host, int port, Path dataDir, String databaseUrl, String redisUrl, String jwtSecret,
            Duration tokenTtl, Duration presenceGrace, Duration typingTimeout, boolean demo, Duration pingInterval,
            Duration pingTimeout, LimitsConfig limits) {
        this(host, port, dataDir, databaseUrl, redisUrl, jwtSecret, tokenTtl, presenceGrace, typingTimeout, demo,
                pingInterval, pingTimeout, limits, DEFAULT_AUDIT_INTERVAL, false);
    }

    /** Returns a copy of this configuration with WebSocket per-message deflate offered or not. */
    public ServerConfig withWebSocketCompression(boolean enabled) {
        return new ServerConfig(host, port, dataDir, databaseUrl, redisUrl, jwtSecret, tokenTtl, presenceGrace,
                typingTimeout, demo, pingInterval, pingTimeout, limits, auditInterval, enabled);
    }

    /** Returns the JDBC URL to open: the configured one, or the SQLite file in the data folder. */
    public String effectiveDatabaseUrl() {
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            return databaseUrl;
        }
        return "jdbc:sqlite:" + dataDir.resolve("ticketchat.db").toAbsolutePath();
    }

    /**
     * Checks every setting and throws one exception that lists all problems found.
     *
     * @throws IllegalArgumentException naming each invalid setting and what to do about it
     */
    public ServerConfig validate() {
        List<String> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add("invalid port " + port + ": use 0 to 65535 (0 picks a free port)");
        }
        if (jwtSecret == null || jwtSecret.isBlank()) {
            problems.add("missing JWT secret: set --jwt-secret or TICKETCHAT_JWT_SECRET, or start with --demo");
        } else if (jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problems.add("JWT secret too short: use at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (databaseUrl != null && !databaseUrl.isBlank() && !databaseUrl.startsWith("jdbc:sqlite:")
                && !databaseUrl.startsWith("jdbc:postgresql:")) {
            problems.add("unsupported database URL: use jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
        }
        if (redisUrl != null && !redisUrl.isBlank()) {
            // TODO(cluster): rooms, broadcasts and presence are per node; a Redis adapter and presence store
            // behind the same interfaces would make --redis-url work. Until then it fails instead of being ignored.
            problems.add("cluster mode is not available yet: start without --redis-url (TICKETCHAT_REDIS_URL)");
        }
        requirePositive(problems, "token TTL", tokenTtl);
        requireNotNegative(problems, "presence grace", presenceGrace);
        requirePositive(problems, "typing timeout", typingTimeout);
        requirePositive(problems, "ping interval", pingInterval);
        requirePositive(problems, "ping timeout", pingTimeout);
        requireNotNegative(problems, "audit interval", auditInterval);
        limits.collectProblems(problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        return this;
    }

    private static void requirePositive(List<String> problems, String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add("invalid " + name + " " + value.toMillis() + " ms: must be positive");
        }
    }

    private static void requireNotNegative(List<String> problems, String name, Duration value) {
        if (value.isNegative()) {
            problems.add("invalid " + name + " " + value.toMillis() + " ms: must not be negative");
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir
                + ", database=" + redactUrl(effectiveDatabaseUrl()) + ", redis=" + redactUrl(redisUrl)
                + ", jwtSecret=" + (jwtSecret == null ? "none" : "[redacted]")
                + ", tokenTtl=" + tokenTtl + ", presenceGrace=" + presenceGrace
                + ", typingTimeout=" + typingTimeout + ", demo=" + demo
                + ", pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout + ", limits=" + limits
                + ", auditInterval=" + auditInterval + ", webSocketCompression=" + webSocketCompression + "]";
    }

    /** Removes the user-info part and query of a URL, where passwords sit. */
    static String redactUrl(String url) {
        if (url == null) {
            return "none";
        }
        String redacted = url.replaceAll("//[^/@]*@", "//[redacted]@");
        int query = redacted.indexOf('?');
        return query < 0 ? redacted : redacted.substring(0, query) + "?[redacted]";
    }
}

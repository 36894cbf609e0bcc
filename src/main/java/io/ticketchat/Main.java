package io.ticketchat;

import io.ticketchat.bench.BenchCommand;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.config.ServerConfig;
import io.ticketchat.db.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Command-line entry point: {@code java -jar ticketchat.jar serve [flags]}. */
@Command(
        name = "ticketchat",
        mixinStandardHelpOptions = true,
        version = "TicketChat 0.1.0",
        description = "Real-time chat server for support desks, compatible with Socket.IO v4 clients.",
        subcommands = {Main.Serve.class, BenchCommand.class})
public final class Main implements Callable<Integer> {
    /** Exit code of a start rejected by its settings, before anything was opened. */
    static final int EXIT_INVALID_CONFIG = 2;
    /** Exit code of a start that failed on the data folder, the database or the listening socket. */
    static final int EXIT_START_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        int exitCode = new CommandLine(new Main()).execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Starts the server. Every flag falls back to its TICKETCHAT_* environment variable, then to the default. */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Start the server. Flags win over TICKETCHAT_* environment variables.")
    static final class Serve implements Callable<Integer> {

        @Option(names = "--port", defaultValue = "${env:TICKETCHAT_PORT:-8080}",
                description = "HTTP port for Socket.IO, REST, health and metrics; 0 picks a free one "
                        + "(env TICKETCHAT_PORT, default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "${env:TICKETCHAT_HOST}",
                description = "Bind address (env TICKETCHAT_HOST; default 127.0.0.1 with --demo, else 0.0.0.0).")
        String host;

        @Option(names = "--data-dir", defaultValue = "${env:TICKETCHAT_DATA_DIR:-./data}",
                description = "Folder of the embedded SQLite store "
                        + "(env TICKETCHAT_DATA_DIR, default ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--database-url", defaultValue = "${env:TICKETCHAT_DATABASE_URL}",
                description = "JDBC URL, jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB "
                        + "(env TICKETCHAT_DATABASE_URL; default: SQLite file in the data folder).")
        String databaseUrl;

        @Option(names = "--redis-url", defaultValue = "${env:TICKETCHAT_REDIS_URL}",
                description = "Redis URL for cluster mode (env TICKETCHAT_REDIS_URL; default: single node).")
        String redisUrl;

        @Option(names = "--jwt-secret", defaultValue = "${env:TICKETCHAT_JWT_SECRET}",
                description = "HS256 signing secret, at least 32 bytes (env TICKETCHAT_JWT_SECRET; "
                        + "required unless --demo, which keeps a generated one in the data folder).")
        String jwtSecret;

        @Option(names = "--token-ttl-minutes", defaultValue = "${env:TICKETCHAT_TOKEN_TTL_MINUTES:-720}",
                description = "Lifetime of tokens issued by the REST login, in minutes "
                        + "(env TICKETCHAT_TOKEN_TTL_MINUTES, default ${DEFAULT-VALUE}).")
        long tokenTtlMinutes;

        @Option(names = "--presence-grace-ms", defaultValue = "${env:TICKETCHAT_PRESENCE_GRACE_MS:-30000}",
                description = "How long staff stay present after their last connection closes, in ms "
                        + "(env TICKETCHAT_PRESENCE_GRACE_MS, default ${DEFAULT-VALUE}).")
        long presenceGraceMillis;

        @Option(names = "--typing-timeout-ms", defaultValue = "${env:TICKETCHAT_TYPING_TIMEOUT_MS:-10000}",
                description = "How long a typing indicator lasts without a new isTyping: true, in ms "
                        + "(env TICKETCHAT_TYPING_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
        long typingTimeoutMillis;

        @Option(names = "--demo", defaultValue = "${env:TICKETCHAT_DEMO:-false}", arity = "0..1",
                fallbackValue = "true",
                description = "Create a demo agent, a demo customer and a demo ticket, and print how to log in "
                        + "(env TICKETCHAT_DEMO=true, default off).")
        boolean demo;

        @Option(names = "--ping-interval-ms", defaultValue = "${env:TICKETCHAT_PING_INTERVAL_MS:-25000}",
                description = "Engine.IO heartbeat interval in ms (env TICKETCHAT_PING_INTERVAL_MS, "
                        + "default ${DEFAULT-VALUE}).")
        long pingIntervalMillis;

        @Option(names = "--ping-timeout-ms", defaultValue = "${env:TICKETCHAT_PING_TIMEOUT_MS:-20000}",
                description = "How long to wait for a heartbeat response before closing, in ms "
                        + "(env TICKETCHAT_PING_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
        long pingTimeoutMillis;

        @Option(names = "--max-payload-bytes", defaultValue = "${env:TICKETCHAT_MAX_PAYLOAD_BYTES:-1000000}",
                description = "Largest incoming packet or request body, in bytes "
                        + "(env TICKETCHAT_MAX_PAYLOAD_BYTES, default ${DEFAULT-VALUE}).")
        int maxPayloadBytes;

        @Option(names = "--max-message-chars", defaultValue = "${env:TICKETCHAT_MAX_MESSAGE_CHARS:-10000}",
                description = "Maximum message length in Unicode code points "
                        + "(env TICKETCHAT_MAX_MESSAGE_CHARS, default ${DEFAULT-VALUE}).")
        int maxMessageChars;

        @Option(names = "--history-limit", defaultValue = "${env:TICKETCHAT_HISTORY_LIMIT:-200}",
                description = "Messages in one history page, the default and the upper clamp "
                        + "(env TICKETCHAT_HISTORY_LIMIT, default ${DEFAULT-VALUE}).")
        int historyLimit;

        @Option(names = "--max-attachments", defaultValue = "${env:TICKETCHAT_MAX_ATTACHMENTS:-10}",
                description = "Attachments in one message "
                        + "(env TICKETCHAT_MAX_ATTACHMENTS, default ${DEFAULT-VALUE}).")
        int maxAttachments;

        @Option(names = "--max-outbound-queued-bytes",
                defaultValue = "${env:TICKETCHAT_MAX_OUTBOUND_QUEUED_BYTES:-1000000}",
                description = "Outbound bytes queued for one slow connection before it is closed "
                        + "(env TICKETCHAT_MAX_OUTBOUND_QUEUED_BYTES, default ${DEFAULT-VALUE}).")
        int maxOutboundQueuedBytes;

        @Option(names = "--events-per-second", defaultValue = "${env:TICKETCHAT_EVENTS_PER_SECOND:-20}",
                description = "Client events one connection may send per second, on average "
                        + "(env TICKETCHAT_EVENTS_PER_SECOND, default ${DEFAULT-VALUE}).")
        int eventsPerSecond;

        @Option(names = "--event-burst", defaultValue = "${env:TICKETCHAT_EVENT_BURST:-40}",
                description = "Client events one connection may send at once after a quiet time "
                        + "(env TICKETCHAT_EVENT_BURST, default ${DEFAULT-VALUE}).")
        int eventBurst;

        @Option(names = "--flood-disconnect-ms", defaultValue = "${env:TICKETCHAT_FLOOD_DISCONNECT_MS:-10000}",
                description = "How long a connection may keep exceeding the event rate before it is "
                        + "disconnected, in ms "
                        + "(env TICKETCHAT_FLOOD_DISCONNECT_MS, default ${DEFAULT-VALUE}).")
        long floodDisconnectMillis;

        @Option(names = "--max-joined-tickets", defaultValue = "${env:TICKETCHAT_MAX_JOINED_TICKETS:-100}",
                description = "Tickets one connection may join at once "
                        + "(env TICKETCHAT_MAX_JOINED_TICKETS, default ${DEFAULT-VALUE}).")
        int maxJoinedTickets;

        @Option(names = "--max-connections-per-user", defaultValue = "${env:TICKETCHAT_MAX_CONNECTIONS_PER_USER:-20}",
                description = "Open connections one user may have on this node "
                        + "(env TICKETCHAT_MAX_CONNECTIONS_PER_USER, default ${DEFAULT-VALUE}).")
        int maxConnectionsPerUser;

        @Option(names = "--max-binary-attachments", defaultValue = "${env:TICKETCHAT_MAX_BINARY_ATTACHMENTS:-10}",
                description = "Binary attachments one Socket.IO packet may announce "
                        + "(env TICKETCHAT_MAX_BINARY_ATTACHMENTS, default ${DEFAULT-VALUE}).")
        int maxBinaryAttachments;

        @Option(names = "--max-queued-db-tasks", defaultValue = "${env:TICKETCHAT_MAX_QUEUED_DB_TASKS:-1000}",
                description = "Database tasks that may wait for a worker, and message sends in flight in the "
                        + "message writer, before new ones get overloaded "
                        + "(env TICKETCHAT_MAX_QUEUED_DB_TASKS, default ${DEFAULT-VALUE}).")
        int maxQueuedDbTasks;

        @Option(names = "--connect-timeout-ms", defaultValue = "${env:TICKETCHAT_CONNECT_TIMEOUT_MS:-45000}",
                description = "How long a new connection may stay without a Socket.IO CONNECT, in ms "
                        + "(env TICKETCHAT_CONNECT_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
        long connectTimeoutMillis;

        @Option(names = "--upgrade-timeout-ms", defaultValue = "${env:TICKETCHAT_UPGRADE_TIMEOUT_MS:-10000}",
                description = "How long a WebSocket upgrade from polling may take, in ms "
                        + "(env TICKETCHAT_UPGRADE_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
        long upgradeTimeoutMillis;

        @Option(names = "--audit-interval-ms", defaultValue = "${env:TICKETCHAT_AUDIT_INTERVAL_MS:-300000}",
                description = "Time between runs of the state audit, which releases state left by a closed "
                        + "connection, in ms; 0 disables it (env TICKETCHAT_AUDIT_INTERVAL_MS, "
                        + "default ${DEFAULT-VALUE}).")
        long auditIntervalMillis;

        @Option(names = "--websocket-compression", arity = "0..1", fallbackValue = "true",
                defaultValue = "${env:TICKETCHAT_WEBSOCKET_COMPRESSION:-false}",
                description = "Offer WebSocket per-message deflate; each compressed connection keeps its own "
                        + "zlib state in native memory (env TICKETCHAT_WEBSOCKET_COMPRESSION=true, default off).")
        boolean webSocketCompression;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            ServerConfig config;
            try {
                config = toConfig();
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return EXIT_INVALID_CONFIG;
            } catch (UncheckedIOException e) {
                err.println("failed to start: " + describe(e));
                return EXIT_START_FAILED;
            }
            TicketChatServer server;
            try {
                server = TicketChatServer.start(config);
            } catch (Exception e) {
                err.println("failed to start: " + describeStartFailure(config, e));
                err.flush();
                return EXIT_START_FAILED;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "ticketchat-shutdown"));
            stopped.await();
            return 0;
        }

        /**
         * Builds the one-line message for an operator from the failure and its causes. An exception of an
         * unexpected kind, which may be a bug, is also logged with its stack trace.
         */
        private static String describeStartFailure(ServerConfig config, Exception e) {
            if (e instanceof BindException || e instanceof UnresolvedAddressException) {
                return "cannot listen on " + config.host() + ":" + config.port() + ": " + describe(e)
                        + "; choose another --host or --port";
            }
            if (e instanceof StoreException || e instanceof UncheckedIOException) {
                return describe(e) + "; check --data-dir and --database-url";
            }
            log.error("start failed", e);
            return describe(e);
        }

        /** Joins the distinct messages of {@code error} and its causes, or names the type where one has none. */
        private static String describe(Throwable error) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = error; t != null; t = t.getCause()) {
                String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
                if (text.indexOf(message) < 0) {
                    text.append(text.length() == 0 ? "" : ": ").append(message);
                }
            }
            return text.toString();
        }

        ServerConfig toConfig() {
            String bindHost = host != null && !host.isBlank() ? host : (demo ? "127.0.0.1" : "0.0.0.0");
            String secret = jwtSecret;
            if ((secret == null || secret.isBlank()) && demo) {
                secret = DemoSecret.loadOrCreate(dataDir);
            }
            LimitsConfig limits = new LimitsConfig(
                    maxPayloadBytes,
                    maxMessageChars,
                    maxAttachments,
                    historyLimit,
                    historyLimit,
                    maxOutboundQueuedBytes,
                    eventsPerSecond,
                    eventBurst,
                    floodDisconnectMillis,
                    maxJoinedTickets,
                    maxConnectionsPerUser,
                    maxBinaryAttachments,
                    maxQueuedDbTasks,
                    connectTimeoutMillis,
                    upgradeTimeoutMillis);
            return new ServerConfig(
                    bindHost,
                    port,
                    dataDir,
                    databaseUrl,
                    redisUrl,
                    secret,
                    Duration.ofMinutes(tokenTtlMinutes),
                    Duration.ofMillis(presenceGraceMillis),
                    Duration.ofMillis(typingTimeoutMillis),
                    demo,
                    Duration.ofMillis(pingIntervalMillis),
                    Duration.ofMillis(pingTimeoutMillis),
                    limits,
                    Duration.ofMillis(auditIntervalMillis),
                    webSocketCompression).validate();
        }
    }
}

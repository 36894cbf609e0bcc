package io.ticketchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ticketchat.audit.AuditCheck;
import io.ticketchat.audit.StateAudit;
import io.ticketchat.auth.AuthService;
import io.ticketchat.auth.JwtService;
import io.ticketchat.auth.PasswordHasher;
import io.ticketchat.chat.ChatGateway;
import io.ticketchat.chat.ChatServices;
import io.ticketchat.chat.PresenceAnnouncer;
import io.ticketchat.concurrent.TimerService;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.config.ServerConfig;
import io.ticketchat.db.Database;
import io.ticketchat.db.DbExecutor;
import io.ticketchat.engineio.EngineIoOptions;
import io.ticketchat.engineio.EngineIoServer;
import io.ticketchat.engineio.TransportLimit;
import io.ticketchat.engineio.TransportLimitListener;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.http.HttpServer;
import io.ticketchat.http.StaticResourceHandler;
import io.ticketchat.demo.DemoData;
import io.ticketchat.message.MessageLimits;
import io.ticketchat.message.MessageService;
import io.ticketchat.message.MessageWriter;
import io.ticketchat.metrics.ChatMetrics;
import io.ticketchat.presence.PresenceTracker;
import io.ticketchat.rest.ApiRoutes;
import io.ticketchat.rest.OpsRoutes;
import io.ticketchat.rest.Router;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoServer;
import io.ticketchat.ticket.TicketService;
import io.ticketchat.user.UserStore;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running TicketChat node: the database, the services, the Socket.IO endpoint and the REST API on one
 * port. {@link #close()} stops them in the reverse order of {@link #start}.
 */
public final class TicketChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TicketChatServer.class);
    private final ServerConfig config;
    private final Database database;
    private final DbExecutor db;
    private final MessageWriter messageWriter;
    private final TimerService timers;
    private final HttpServer httpServer;
    private final SocketIoServer socketIo;
    private final PrometheusMeterRegistry registry;
    private final StateAudit audit;

    private TicketChatServer(ServerConfig config, Database database, DbExecutor db, MessageWriter messageWriter,
            TimerService timers, HttpServer httpServer, SocketIoServer socketIo,
            PrometheusMeterRegistry registry, StateAudit audit) {
        this.config = config;
        this.database = database;
        this.db = db;
        this.messageWriter = messageWriter;
        this.timers = timers;
        this.httpServer = httpServer;
        this.socketIo = socketIo;
        this.registry = registry;
        this.audit = audit;
    }

    /**
     * Opens the store, migrates it, and starts serving; the bound port is {@link #port()}. When a step fails,
     * what the earlier steps opened (pool, executors, event loops) is closed before the exception leaves.
     */
    public static TicketChatServer start(ServerConfig config) throws Exception {
        log.info("starting config={}", config);
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            return start(config, opened);
        } catch (Exception | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    private static void closeAll(Deque<AutoCloseable> opened, Throwable failure) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static TicketChatServer start(ServerConfig config, Deque<AutoCloseable> opened) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        LimitsConfig limits = config.limits();
        Database database = Database.open(config.effectiveDatabaseUrl());
        opened.push(database);
        // TODO(limits): the worker count is fixed at the pool size, so only the queue is configurable; a
        // database pool size setting would size both.
        DbExecutor db = new DbExecutor(Database.DEFAULT_POOL_SIZE, limits.maxQueuedDbTasks());
        opened.push(db);
        UserStore users = new UserStore(database);
        JwtService jwt = new JwtService(config.jwtSecret(), config.tokenTtl());
        AuthService auth = new AuthService(users, jwt, new PasswordHasher());
        TicketService tickets = new TicketService(database);
        MessageLimits messageLimits = new MessageLimits(limits.historyDefaultLimit(), limits.historyMaxLimit(),
                limits.maxMessageChars(), limits.maxAttachments());
        MessageService messages = new MessageService(database, tickets, messageLimits, Clock.systemUTC());
        MessageWriter messageWriter = new MessageWriter(database, messages, limits.maxQueuedDbTasks());
        messageWriter.start();
        opened.push(messageWriter);

        int leftOnline = users.resetPresence();
        if (leftOnline > 0) {
            log.info("presence reset users={}: they were stored as online when the server last stopped", leftOnline);
        }
        TimerService timers = new TimerService();
        opened.push(timers);

        EngineIoOptions engineOptions = EngineIoOptions.defaults()
                .withHeartbeat(config.pingInterval(), config.pingTimeout())
                .withMaxPayloadBytes(limits.maxPayloadBytes())
                .withMaxQueuedBytes(limits.maxOutboundQueuedBytes())
                .withConnectTimeout(Duration.ofMillis(limits.connectTimeoutMillis()))
                .withUpgradeTimeout(Duration.ofMillis(limits.upgradeTimeoutMillis()))
                .withPerMessageDeflate(config.webSocketCompression());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ChatMetrics chatMetrics = new ChatMetrics(registry);
        TransportLimitListener limitListener = (limit, transport) ->
                chatMetrics.transportLimitExceeded(limit.tagValue(), transport, errorCodeOf(limit));
        SocketIoServer socketIo = new SocketIoServer(mapper, engineOptions, limits.maxBinaryAttachments(),
                limitListener);
        Namespace chat = socketIo.namespace("/");
        PresenceTracker presence = new PresenceTracker(config.presenceGrace(), timers,
                new PresenceAnnouncer(chat, users, db, mapper), Clock.systemUTC());
        ChatServices services = new ChatServices(jwt, auth, users, tickets, messages, messageWriter);
        registerGauges(registry, socketIo, chat, db, messageWriter);
        ChatGateway gateway = new ChatGateway(chat, services, presence, db, timers, mapper, limits,
                config.typingTimeout(), chatMetrics);
        gateway.install();

        Gauge.builder("ticketchat.presence.entries", presence, PresenceTracker::entryCount)
                .description("Staff users tracked as present or in their grace period")
                .register(registry);
        Gauge.builder("ticketchat.scheduled.timers", () -> timers.pendingCount() + gateway.pendingTokenExpiryCount())
                .description("Timers scheduled and neither fired nor cancelled, token expiries included")
                .register(registry);
        Gauge.builder("ticketchat.connected.users", gateway, ChatGateway::connectedUserCount)
                .description("Users with at least one open connection")
                .register(registry);
        Gauge.builder("ticketchat.typing.entries", gateway, ChatGateway::typingEntryCount)
                .description("Users marked as typing in a ticket")
                .register(registry);
        Router router = new Router(mapper, chatMetrics);
        new ApiRoutes(mapper, db, auth, tickets, messages, messageWriter, gateway::publishNewMessage,
                gateway::publishTicketUpdate, users, presence)
                .register(router);
        new OpsRoutes(mapper, database, db, registry).register(router);

        HttpServer httpServer = HttpServer.builder()
                .host(config.host())
                .port(config.port())
                .mount("/socket.io/", socketIo.engine())
                .fallback(new StaticResourceHandler("web", router))
                .maxBodyBytes(limits.maxPayloadBytes())
                .limitListener(limitListener)
                .build()
                .start();
        opened.push(httpServer::stop);
        StateAudit audit = stateAudit(socketIo, chat, gateway, presence, timers, httpServer, registry);
        opened.push(audit::close);
        audit.start(config.auditInterval());
        TicketChatServer server = new TicketChatServer(config, database, db, messageWriter, timers, httpServer,
                socketIo, registry, audit);
        log.info("started host={} port={} database={}", config.host(), server.port(),
                database.isSqlite() ? "sqlite" : "postgresql");
        if (config.demo()) {
            DemoData.ensure(auth, tickets, messages);
            printDemoLogin(server.port());
        }
        return server;
    }

    /**
     * Returns the contract code a breach of a protocol-layer limit is counted under. The client sees no code for
     * these, because the connection closes or the HTTP layer responds, except a REST body over the limit, which gets
     * 413 with {@code invalid_request}.
     */
    private static ErrorCode errorCodeOf(TransportLimit limit) {
        return switch (limit) {
            case PAYLOAD_SIZE -> ErrorCode.PAYLOAD_TOO_LARGE;
            case BINARY_ATTACHMENTS -> ErrorCode.INVALID_REQUEST;
            case OUTBOUND_QUEUE, HANDSHAKE_TIMEOUT -> ErrorCode.LIMIT_EXCEEDED;
        };
    }

    private static void registerGauges(
            PrometheusMeterRegistry registry, SocketIoServer socketIo, Namespace chat, DbExecutor db,
            MessageWriter messageWriter) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("ticketchat.engine.sessions", socketIo, SocketIoServer::engineSessionCount)
                .description("Open Engine.IO sessions")
                .register(registry);
        for (String transport : new String[] {"websocket", "polling"}) {
            Gauge.builder("ticketchat.connections", socketIo.engine(), engine -> engine.sessionCount(transport))
                    .description("Open Engine.IO sessions by current transport")
                    .tag("transport", transport)
                    .register(registry);
        }
        Gauge.builder("ticketchat.outbound.queued.bytes", socketIo.engine(), EngineIoServer::outboundQueuedBytes)
                .description("Outbound bytes waiting for clients: polling queues and unsent WebSocket writes")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("ticketchat.pending.acks", socketIo, SocketIoServer::pendingAckCount)
                .description("Acknowledgements the server requested from clients and still waits for")
                .register(registry);
        Gauge.builder("ticketchat.sockets", chat, Namespace::socketCount)
                .description("Connected Socket.IO sockets on the default namespace")
                .register(registry);
        Gauge.builder("ticketchat.rooms", chat, Namespace::roomCount)
                .description("Ticket rooms with at least one member")
                .register(registry);
        Gauge.builder("ticketchat.room.memberships", chat, Namespace::membershipCount)
                .description("Socket memberships in ticket rooms")
                .register(registry);
        Gauge.builder("ticketchat.db.queued.tasks", db, DbExecutor::queuedTasks)
                .description("Database work waiting for a worker")
                .register(registry);
        Gauge.builder("ticketchat.message.writer.queued", messageWriter, MessageWriter::inFlightCount)
                .description("Message sends accepted by the writer and not yet completed")
                .register(registry);
        FunctionCounter.builder("ticketchat.message.writer.commits", messageWriter, MessageWriter::commitCount)
                .description("Message batches committed, each in one transaction")
                .register(registry);
        FunctionCounter.builder("ticketchat.message.writer.failed.batches", messageWriter,
                        MessageWriter::failedBatchCount)
                .description("Message batches whose transaction could not begin or commit, so every send in them"
                        + " failed")
                .register(registry);
    }

    /** Builds the state audit over every map that contains per-connection or per-user state, sessions first. */
    private static StateAudit stateAudit(SocketIoServer socketIo, Namespace chat, ChatGateway gateway,
            PresenceTracker presence, TimerService timers, HttpServer httpServer, PrometheusMeterRegistry registry) {
        List<AuditCheck<?>> checks = new ArrayList<>();
        checks.add(socketIo.engine().staleSessionCheck());
        checks.addAll(chat.staleStateChecks());
        checks.addAll(gateway.staleStateChecks());
        checks.add(presence.emptyEntryCheck());
        checks.add(timers.staleTimerCheck());
        return new StateAudit(checks, () -> {
            List<Executor> threads = new ArrayList<>(httpServer.eventLoops());
            threads.add(timers.executor());
            return threads;
        }, registry);
    }

    private static void printDemoLogin(int port) {
        String base = "http://127.0.0.1:" + port;
        System.out.println();
        System.out.println("TicketChat demo is running on " + base);
        System.out.println("  agent:    " + DemoData.AGENT_EMAIL + " / " + DemoData.AGENT_PASSWORD);
        System.out.println("  customer: " + DemoData.CUSTOMER_EMAIL + " / " + DemoData.CUSTOMER_PASSWORD);
        System.out.println("  log in:   curl -s -X POST " + base + "/api/auth/login"
                + " -H 'Content-Type: application/json'"
                + " -d '{\"email\":\"" + DemoData.CUSTOMER_EMAIL
                + "\",\"password\":\"" + DemoData.CUSTOMER_PASSWORD + "\"}'");
        System.out.println();
    }

    public int port() {
        return httpServer.port();
    }

    public SocketIoServer socketIo() {
        return socketIo;
    }

    /** Returns the executor of database work other than message sends, so tests can fill its queue. */
    public DbExecutor dbExecutor() {
        return db;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Returns the executor of database work other than message sends, for tests that order work around it. */
    public DbExecutor db() {
        return db;
    }

    /** Returns the thread that stores client messages, for tests that count its commits. */
    public MessageWriter messageWriter() {
        return messageWriter;
    }

    /** Returns the state audit, for running it on demand. */
    public StateAudit audit() {
        return audit;
    }

    @Override
    public void close() {
        log.info("stopping port={}", port());
        audit.close();
        // Stopping the HTTP server closes every session at the transport, so clients reconnect to the next
        // process. SocketIoServer.close() would send DISCONNECT first, after which official clients do not reconnect.
        httpServer.stop();
        timers.close();
        db.close();
        messageWriter.close();
        database.close();
        registry.close();
        log.info("stopped");
    }
}

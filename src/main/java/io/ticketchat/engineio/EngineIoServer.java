package io.ticketchat.engineio;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.ticketchat.audit.AuditCheck;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO v4 endpoint: validates requests, opens sessions, routes polling requests and WebSocket upgrades to
 * them, and hands each new session to its {@link EngineIoListener}.
 *
 * <p>Owns the map of open sessions. A session enters it at its handshake and leaves it on every kind of close, so
 * the map contains exactly the sessions whose transport is open or still draining. Safe from any thread.
 *
 * <p>Also owns the closed polls: the ids of polling sessions that the client closed with a CLOSE packet while no
 * poll request was held. A poll sent together with that CLOSE on another connection can reach the session after
 * it, so the first poll for such an id within {@link #CLOSED_POLL_GRACE} gets the NOOP that a held poll gets at
 * close time, and not a 400 for an unknown id. Each entry is removed by that poll or by its own timer, and at most
 * {@link #MAX_CLOSED_POLLS} are kept, plus at most one per event loop that races past the bound.
 *
 * <p>Keeps counters for gauges, updated by the sessions as they change: open sessions per transport and bytes
 * queued for polling clients. Every breach of a {@link TransportLimit} goes to the {@link TransportLimitListener}.
 */
public final class EngineIoServer {
    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** Time a closed poll entry is kept after the client's CLOSE packet. */
    static final Duration CLOSED_POLL_GRACE = Duration.ofSeconds(2);
    /** Maximum number of closed poll entries. Past it, a late poll gets the 400 for an unknown id. */
    static final int MAX_CLOSED_POLLS = 1024;

    private final EngineIoOptions options;
    private final EngineIoListener listener;
    private final TransportLimitListener limitListener;
    /** One frame decoder configuration for all WebSocket connections, as it depends on the options only. */
    private final WebSocketDecoderConfig decoderConfig;
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, ClosedPoll> closedPolls = new ConcurrentHashMap<>();
    private final Map<EventLoop, HeartbeatQueue> heartbeatQueues = new ConcurrentHashMap<>();
    private final AtomicInteger webSocketSessions = new AtomicInteger();
    private final AtomicInteger pollingSessions = new AtomicInteger();
    private final AtomicLong pollingQueuedBytes = new AtomicLong();

    public EngineIoServer(EngineIoOptions options, EngineIoListener listener) {
        this(options, listener, TransportLimitListener.NONE);
    }

    public EngineIoServer(EngineIoOptions options, EngineIoListener listener, TransportLimitListener limitListener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limitListener = Objects.requireNonNull(limitListener, "limitListener");
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxPayloadBytes())
                .allowExtensions(options.perMessageDeflate())
                .build();
    }

    public EngineIoOptions options() {
        return options;
    }

    /** Returns the number of sessions in the map, including those still delivering their last packets. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Returns the number of open sessions whose current transport is {@code websocket} or {@code polling}. */
    public int sessionCount(String transport) {
        return "websocket".equals(transport) ? webSocketSessions.get() : pollingSessions.get();
    }

    /**
     * Returns the outbound bytes waiting for clients: the polling queues, counted as they change, plus the
     * pending writes of each WebSocket channel, read from the sessions when called.
     */
    public long outboundQueuedBytes() {
        // TODO(limits): each scrape walks every session for its WebSocket bytes, which costs time in proportion to
        // the open sessions; a write-tracking handler in the WebSocket pipeline would keep a running total instead.
        long total = pollingQueuedBytes.get();
        for (EngineIoSession session : sessions.values()) {
            total += session.webSocketPendingBytes();
        }
        return total;
    }

    /** Reports a breach to the limit listener; a failing listener is logged and never breaks the caller. */
    public void reportLimit(TransportLimit limit, String transport) {
        try {
            limitListener.limitExceeded(limit, transport);
        } catch (RuntimeException e) {
            log.warn("limit listener failed limit={} transport={}", limit.tagValue(), transport, e);
        }
    }

    void transportOpened(String transport) {
        ("websocket".equals(transport) ? webSocketSessions : pollingSessions).incrementAndGet();
    }

    void transportClosed(String transport) {
        ("websocket".equals(transport) ? webSocketSessions : pollingSessions).decrementAndGet();
    }

    void addPollingQueuedBytes(long delta) {
        pollingQueuedBytes.addAndGet(delta);
    }

    /** Closes every session from the server side, as at shutdown. */
    public void closeAll() {
        sessions.values().forEach(EngineIoSession::close);
    }

    /** Returns the number of closed poll entries, each kept at most {@link #CLOSED_POLL_GRACE}. */
    public int closedPollCount() {
        return closedPolls.size();
    }

    /**
     * Returns the audit check of sessions in the map that nothing will release: released ones still registered,
     * and ones with no open transport and no pending heartbeat. It reads each session on its event loop.
     */
    public AuditCheck<EngineIoSession> staleSessionCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "engine_session";
            }

            @Override
            public List<EngineIoSession> findStale() {
                List<EngineIoSession> stale = new ArrayList<>();
                for (EngineIoSession session : sessions.values()) {
                    if (Boolean.TRUE.equals(onLoop(session, () -> session.staleReason() != null))) {
                        stale.add(session);
                    }
                }
                return stale;
            }

            @Override
            public boolean repairIfStale(EngineIoSession session) {
                return Boolean.TRUE.equals(onLoop(session, session::releaseIfStale));
            }
        };
    }

    /** Runs {@code task} on the session's event loop and waits up to 5 s; null when the loop did not answer. */
    private static <T> T onLoop(EngineIoSession session, Callable<T> task) {
        try {
            return session.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.debug("session not audited sid={} error={}", session.id(), e.toString());
            return null;
        }
    }

    /** Returns the open session with this id, or null. */
    EngineIoSession find(String sid) {
        return sessions.get(sid);
    }

    /** Adds a session to the map as it is, for tests of the audit. */
    void registerForTest(EngineIoSession session) {
        sessions.put(session.id(), session);
    }

    EngineIoListener listener() {
        return listener;
    }

    /** Returns the heartbeat queue of this server's sessions on {@code eventLoop}, created on first use. */
    HeartbeatQueue heartbeatQueue(EventLoop eventLoop) {
        return heartbeatQueues.computeIfAbsent(eventLoop, loop -> new HeartbeatQueue(loop, options));
    }

    void remove(EngineIoSession session) {
        sessions.remove(session.id(), session);
    }

    /**
     * Keeps the id of a polling session that the client closed while no poll was held, so that one poll sent
     * together with the CLOSE still gets its NOOP. Called on the session's event loop before {@link #remove}, so a
     * request that misses the session in the map finds this entry.
     */
    void rememberClosedPoll(EngineIoSession session) {
        if (closedPolls.size() >= MAX_CLOSED_POLLS) {
            log.debug("closed poll not kept sid={} count={}", session.id(), closedPolls.size());
            return;
        }
        ClosedPoll entry = new ClosedPoll();
        String sid = session.id();
        closedPolls.put(sid, entry);
        entry.expiry = session.eventLoop().schedule(
                () -> closedPolls.remove(sid, entry), CLOSED_POLL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Removes the closed poll entry of this id and returns whether there was one. Safe from any thread. */
    boolean takeClosedPoll(String sid) {
        ClosedPoll entry = closedPolls.remove(sid);
        if (entry == null) {
            return false;
        }
        ScheduledFuture<?> expiry = entry.expiry;
        if (expiry != null) {
            expiry.cancel(false);
        }
        return true;
    }

    /**
     * Handles one request for the endpoint's path, called on the connection's event loop. Takes ownership of the
     * request and releases it.
     */
    public void handleRequest(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            route(ctx, request);
        } finally {
            request.release();
        }
    }

    /**
     * Closes the session named by the {@code sid} of a request whose body went over the maximum payload. The HTTP
     * layer has already rejected the request itself.
     */
    public void onPayloadTooLarge(String uri) {
        reportLimit(TransportLimit.PAYLOAD_SIZE, "polling");
        List<String> sid = new QueryStringDecoder(uri).parameters().get("sid");
        EngineIoSession session = sid == null ? null : sessions.get(sid.get(0));
        if (session != null) {
            log.debug("payload too large sid={}", session.id());
            session.rejectOversizedPayload();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        Map<String, List<String>> parameters = query.parameters();
        if (!"4".equals(first(parameters, "EIO"))) {
            reject(ctx, keepAlive, EngineIoError.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        String transport = first(parameters, "transport");
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            reject(ctx, keepAlive, EngineIoError.UNKNOWN_TRANSPORT);
            return;
        }
        boolean upgrade = request.headers()
                .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if ("websocket".equals(transport) != upgrade) {
            reject(ctx, keepAlive, EngineIoError.BAD_REQUEST);
            return;
        }

        String sid = first(parameters, "sid");
        if (sid == null) {
            openSession(ctx, request, keepAlive, upgrade, parameters);
            return;
        }
        EngineIoSession session = sessions.get(sid);
        if (session == null && !upgrade && HttpMethod.GET.equals(request.method()) && takeClosedPoll(sid)) {
            log.debug("noop sent to poll after client close sid={}", sid);
            PollingResponses.sendText(ctx, keepAlive, EngineIoCodec.encodeText(EnginePacket.NOOP));
        } else if (session == null) {
            reject(ctx, keepAlive, EngineIoError.UNKNOWN_SID);
        } else if (upgrade) {
            upgradeSession(ctx, request, session);
        } else {
            routePolling(ctx, request, keepAlive, session);
        }
    }

    private void openSession(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            boolean keepAlive,
            boolean upgrade,
            Map<String, List<String>> parameters) {
        if (!upgrade && !HttpMethod.GET.equals(request.method())) {
            reject(ctx, keepAlive, EngineIoError.BAD_HANDSHAKE_METHOD);
            return;
        }
        HandshakeRequest handshake = new HandshakeRequest(
                parameters, request.headers(), ctx.channel().remoteAddress());
        EngineIoSession session = new EngineIoSession(newId(), this, ctx.channel().eventLoop(), handshake);
        if (!upgrade) {
            sessions.put(session.id(), session);
            session.startPolling(ctx, keepAlive);
            return;
        }
        WebSocketTransportHandler transport = handshakeWebSocket(ctx, request);
        if (transport == null) {
            return;
        }
        transport.bind(session);
        sessions.put(session.id(), session);
        session.startWebSocket(ctx.channel());
    }

    private void upgradeSession(ChannelHandlerContext ctx, FullHttpRequest request, EngineIoSession session) {
        // The reference server completes the WebSocket handshake before it rejects a second upgrade, so the
        // client sees a close and not an HTTP error. The session closes such a WebSocket in attachUpgradeCandidate.
        WebSocketTransportHandler transport = handshakeWebSocket(ctx, request);
        if (transport != null) {
            transport.bind(session);
            session.attachUpgradeCandidate(ctx.channel());
        }
    }

    private void routePolling(
            ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, EngineIoSession session) {
        HttpMethod method = request.method();
        if (HttpMethod.GET.equals(method)) {
            runOnSessionLoop(session, () -> session.handlePoll(ctx, keepAlive));
        } else if (HttpMethod.POST.equals(method)) {
            if (request.content().readableBytes() > options.maxPayloadBytes()) {
                log.debug("payload too large sid={} bytes={}", session.id(), request.content().readableBytes());
                reportLimit(TransportLimit.PAYLOAD_SIZE, "polling");
                PollingResponses.sendPayloadTooLarge(ctx);
                session.rejectOversizedPayload();
                return;
            }
            String body = request.content().toString(StandardCharsets.UTF_8);
            runOnSessionLoop(session, () -> session.handlePost(ctx, body, keepAlive));
        } else {
            reject(ctx, keepAlive, EngineIoError.BAD_REQUEST);
        }
    }

    private static void runOnSessionLoop(EngineIoSession session, Runnable task) {
        if (session.eventLoop().inEventLoop()) {
            task.run();
        } else {
            session.eventLoop().execute(task);
        }
    }

    /**
     * Completes the WebSocket handshake and turns the pipeline into a WebSocket one: the handler that passed the
     * request here is replaced by the transport handler, which adds a frame aggregator bounded by the maximum payload
     * when the client first sends a fragmented message. Returns null when the handshake was refused.
     */
    private WebSocketTransportHandler handshakeWebSocket(ChannelHandlerContext ctx, FullHttpRequest request) {
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(url, null, decoderConfig).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return null;
        }

        WebSocketTransportHandler transport = new WebSocketTransportHandler();
        ChannelPipeline pipeline = ctx.pipeline();
        removeIfPresent(pipeline, CorsHandler.class);
        removeIfPresent(pipeline, IdleStateHandler.class);
        pipeline.replace(ctx.name(), "engineio-websocket", transport);
        handshaker.handshake(ctx.channel(), request).addListener(future -> {
            if (!future.isSuccess()) {
                log.debug("websocket handshake failed error={}", future.cause().toString());
                ctx.channel().close();
            }
        });
        return transport;
    }

    private static void removeIfPresent(ChannelPipeline pipeline, Class<? extends ChannelHandler> type) {
        if (pipeline.get(type) != null) {
            pipeline.remove(type);
        }
    }

    private static void reject(ChannelHandlerContext ctx, boolean keepAlive, EngineIoError error) {
        log.debug("request rejected code={} message={}", error.code(), error.message());
        PollingResponses.sendError(ctx, keepAlive, error);
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /** A closed poll entry; its expiry is set just after the entry is stored, and read on any thread. */
    private static final class ClosedPoll {
        volatile ScheduledFuture<?> expiry;
    }
}

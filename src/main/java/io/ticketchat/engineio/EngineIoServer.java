package io.ticketchat.engineio;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.ticketchat.audit.AuditCheck;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Engine.IO v4 endpoint: validates requests, opens sessions, routes polling requests and WebSocket upgrades to
 * them, and hands each new session to its {@link EngineIoListener}.
 *
 * <p>Owns the map of open sessions. A session enters it at its handshake and leaves it on every kind of close, so
 * the map contains exactly the sessions whose transport is open or still draining. Safe from any thread.
 */
public final class EngineIoServer {
    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final EngineIoOptions options;
    private final EngineIoListener listener;
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();

    public EngineIoServer(EngineIoOptions options, EngineIoListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public EngineIoOptions options() {
        return options;
    }

    /** Returns the number of sessions in the map, including those still delivering their last packets. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Closes every session from the server side, as at shutdown. */
    public void closeAll() {
        sessions.values().forEach(EngineIoSession::close);
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

    void remove(EngineIoSession session) {
        sessions.remove(session.id(), session);
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
        if (session == null) {
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
     * request here is replaced by a frame aggregator bounded by the maximum payload and a transport handler. Returns
     * null when the handshake was refused.
     */
    private WebSocketTransportHandler handshakeWebSocket(ChannelHandlerContext ctx, FullHttpRequest request) {
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(options.maxPayloadBytes())
                .allowExtensions(options.perMessageDeflate())
                .build();
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
        String name = ctx.name();
        pipeline.addBefore(name, "ws-aggregator", new WebSocketFrameAggregator(options.maxPayloadBytes()));
        pipeline.replace(name, "engineio-websocket", transport);
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
}

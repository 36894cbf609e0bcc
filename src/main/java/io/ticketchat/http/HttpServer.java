package io.ticketchat.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.ticketchat.engineio.EngineIoOptions;
import io.ticketchat.engineio.EngineIoServer;
import io.ticketchat.engineio.TransportLimit;
import io.ticketchat.engineio.TransportLimitListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single HTTP server of a TicketChat node: Engine.IO endpoints (the Socket.IO path) and every other HTTP
 * request share one port.
 *
 * <p>Each connection's pipeline is built from Netty's HTTP pieces: the server codec, an aggregator whose body limit
 * is the largest {@code maxPayload} of the mounted endpoints (a larger body gets 413 with {@code invalid_request},
 * and is reported to the endpoint of its path or, outside them, to the builder's limit listener),
 * an optional CORS handler, an optional per-message deflate handler, an idle timer and the dispatcher. A WebSocket
 * upgrade swaps the HTTP-only handlers for the Engine.IO transport, which adds a frame aggregator only when the client
 * sends its first fragmented message. The write buffer's high
 * water mark is the largest {@code maxQueuedBytes} of the endpoints, so a WebSocket session that lets more bytes
 * pile up is closed.
 *
 * <p>CORS: with no origins configured (the default) the server sends no CORS headers, so only pages of the same
 * origin can use HTTP long-polling; WebSocket is not subject to CORS. This matches the Socket.IO reference server,
 * whose {@code cors} option is off by default. The origin {@code *} allows every origin without credentials; a list
 * of origins allows those with credentials (cookies), which is what a support desk embedded on a known site needs.
 *
 * <p>The bench measures the heap of an idle, authenticated connection on this pipeline, everything included
 * (docs/benchmarks.md has the figure and the command).
 *
 * <p>Lifecycle: {@link #start()} binds, {@link #stop()} closes the listening socket, closes every Engine.IO session
 * from the server side and shuts the event loops down after their queued work ran.
 */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final String host;
    private final int requestedPort;
    private final int eventLoopThreads;
    private final EngineMounts mounts;
    private final HttpRequestHandler fallback;
    private final CorsConfig corsConfig;
    private final int maxBodyBytes;
    private final int maxQueuedBytes;
    private final boolean perMessageDeflate;
    private final Duration idleTimeout;
    private final TransportLimitListener limitListener;

    private EventLoopGroup group;
    private Channel serverChannel;
    private int boundPort = -1;

    private HttpServer(Builder builder) {
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.eventLoopThreads = builder.eventLoopThreads;
        this.mounts = new EngineMounts(builder.mounts);
        this.fallback = builder.fallback;
        this.corsConfig = corsConfig(builder.corsOrigins);
        this.limitListener = builder.limitListener;

        int body = builder.maxBodyBytes;
        int queued = 0;
        boolean deflate = false;
        Duration heartbeat = Duration.ZERO;
        for (EngineIoServer engine : mounts.engines()) {
            EngineIoOptions options = engine.options();
            body = Math.max(body, options.maxPayloadBytes());
            queued = Math.max(queued, options.maxQueuedBytes());
            deflate |= options.perMessageDeflate();
            Duration period = options.pingInterval().plus(options.pingTimeout());
            heartbeat = period.compareTo(heartbeat) > 0 ? period : heartbeat;
        }
        this.maxBodyBytes = body;
        this.maxQueuedBytes = queued > 0 ? queued : 1 << 20;
        this.perMessageDeflate = deflate;
        Duration twoHeartbeats = heartbeat.multipliedBy(2);
        this.idleTimeout = builder.idleTimeout.compareTo(twoHeartbeats) > 0 ? builder.idleTimeout : twoHeartbeats;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts serving; returns this server, whose {@link #port()} is then known. */
    public synchronized HttpServer start() throws InterruptedException {
        if (group != null) {
            throw new IllegalStateException("server already started");
        }
        group = eventLoopThreads > 0
                ? new MultiThreadIoEventLoopGroup(eventLoopThreads, NioIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(maxQueuedBytes / 2, maxQueuedBytes))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        buildPipeline(channel.pipeline());
                    }
                });
        try {
            serverChannel = bootstrap.bind(host, requestedPort).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw e;
        }
        boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.info("http server started host={} port={}", host, boundPort);
        return this;
    }

    private void buildPipeline(ChannelPipeline pipeline) {
        pipeline.addLast("http-codec", new HttpServerCodec());
        pipeline.addLast("http-aggregator", new PayloadLimitAggregator(maxBodyBytes, this::onPayloadTooLarge));
        if (corsConfig != null) {
            pipeline.addLast("cors", new CorsHandler(corsConfig));
        }
        if (perMessageDeflate) {
            pipeline.addLast("ws-deflate", new WebSocketServerCompressionHandler(maxBodyBytes));
        }
        pipeline.addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("dispatch", new HttpDispatchHandler(mounts, fallback));
    }

    private void onPayloadTooLarge(String uri) {
        if (!mounts.onPayloadTooLarge(uri)) {
            try {
                limitListener.limitExceeded(TransportLimit.PAYLOAD_SIZE, "http");
            } catch (RuntimeException e) {
                log.warn("limit listener failed limit={} transport=http", TransportLimit.PAYLOAD_SIZE.tagValue(), e);
            }
        }
    }

    /** Returns the port the server listens on, which is the picked one when it was started on port 0. */
    public int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("server not started");
        }
        return boundPort;
    }

    /** Returns the event loops of the started server, or an empty list when it is stopped. */
    public synchronized List<Executor> eventLoops() {
        List<Executor> loops = new ArrayList<>();
        if (group != null) {
            group.forEach(loops::add);
        }
        return loops;
    }

    /** Stops accepting, closes every Engine.IO session and shuts the event loops down; waits at most 5 s. */
    public synchronized void stop() {
        if (group == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        for (EngineIoServer engine : mounts.engines()) {
            engine.closeAll();
        }
        group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        group = null;
        log.info("http server stopped port={}", boundPort);
    }

    private static CorsConfig corsConfig(List<String> origins) {
        if (origins.isEmpty()) {
            return null;
        }
        CorsConfigBuilder builder = origins.contains("*")
                ? CorsConfigBuilder.forAnyOrigin()
                : CorsConfigBuilder.forOrigins(origins.toArray(String[]::new)).allowCredentials();
        return builder
                .allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
                        HttpMethod.DELETE, HttpMethod.OPTIONS)
                .allowedRequestHeaders(HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.AUTHORIZATION)
                .maxAge(600)
                .build();
    }

    /** Settings of an {@link HttpServer}; every one has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int eventLoopThreads;
        private final Map<String, EngineIoServer> mounts = new LinkedHashMap<>();
        private HttpRequestHandler fallback;
        private List<String> corsOrigins = List.of();
        private int maxBodyBytes = 1_000_000;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private TransportLimitListener limitListener = TransportLimitListener.NONE;

        private Builder() {
        }

        /** Sets the bind address (default 127.0.0.1). */
        public Builder host(String newHost) {
            this.host = Objects.requireNonNull(newHost, "host");
            return this;
        }

        /** Sets the port (default 8080); 0 picks a free one, see {@link HttpServer#port()}. */
        public Builder port(int newPort) {
            if (newPort < 0 || newPort > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + newPort);
            }
            this.port = newPort;
            return this;
        }

        /** Sets the number of event loop threads (default 0: Netty's default, twice the processor count). */
        public Builder eventLoopThreads(int threads) {
            this.eventLoopThreads = threads;
            return this;
        }

        /** Serves an Engine.IO endpoint at a path prefix such as {@code /socket.io/}. */
        public Builder mount(String pathPrefix, EngineIoServer engine) {
            String prefix = pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + "/";
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("path prefix must start with '/', got " + pathPrefix);
            }
            mounts.put(prefix, Objects.requireNonNull(engine, "engine"));
            return this;
        }

        /** Sets the handler of requests outside the Engine.IO paths (default: 404, code {@code invalid_request}). */
        public Builder fallback(HttpRequestHandler handler) {
            this.fallback = handler;
            return this;
        }

        /** Sets the allowed CORS origins (default none: no CORS headers); {@code *} allows any origin. */
        public Builder corsOrigins(List<String> origins) {
            this.corsOrigins = new ArrayList<>(origins);
            return this;
        }

        /** Sets the HTTP body limit in bytes (default 1,000,000); raised to the largest Engine.IO maxPayload. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, got " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Sets how long an HTTP connection may stay silent before it is closed (default 60 s); raised to two
         * heartbeat periods of the mounted endpoints so a held poll is never cut.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
            return this;
        }

        /**
         * Sets the receiver of request bodies over the limit outside the Engine.IO paths, reported as
         * {@link TransportLimit#PAYLOAD_SIZE} on transport {@code http} (default: none).
         */
        public Builder limitListener(TransportLimitListener listener) {
            this.limitListener = Objects.requireNonNull(listener, "limitListener");
            return this;
        }

        public HttpServer build() {
            return new HttpServer(this);
        }
    }
}

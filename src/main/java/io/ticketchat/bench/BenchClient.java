package io.ticketchat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A light Socket.IO client for load: one Netty event loop group drives every connection, each connection is
 * a WebSocket straight away (no polling), and frames are handled on the event loop. Source
 * addresses rotate over 127.0.0.2 and up, so the number of connections is not bounded by the ephemeral
 * ports of one address pair. Close it to release the threads; connections close with it.
 */
final class BenchClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_FRAME_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final InetSocketAddress server;
    private final URI uri;
    private final int sourceAddresses;

    BenchClient(String host, int port, int threads, int sourceAddresses) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.server = new InetSocketAddress(host, port);
        this.uri = URI.create("ws://" + host + ":" + port + "/socket.io/?EIO=4&transport=websocket");
        this.sourceAddresses = sourceAddresses;
    }

    /**
     * Opens connection number {@code index}, sends CONNECT with {@code token} and completes once the server
     * accepted it; fails on a refused handshake or after the connect timeout.
     */
    CompletableFuture<BenchConnection> connect(int index, String token, Consumer<String> onFrame) {
        BenchConnection connection = new BenchConnection(token, onFrame);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(),
                                        MAX_FRAME_BYTES)),
                                new FrameHandler(connection));
                    }
                });
        ChannelFuture future = bootstrap.connect(server, new InetSocketAddress(sourceAddress(index), 0));
        future.addListener(f -> {
            if (!f.isSuccess()) {
                connection.connected().completeExceptionally(f.cause());
            }
        });
        connection.connected().orTimeout(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((c, error) -> {
                    if (error != null) {
                        future.channel().close();
                    }
                });
        return connection.connected();
    }

    private String sourceAddress(int index) {
        return "127.0.0." + (2 + index % sourceAddresses);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Sends CONNECT once the WebSocket is up and feeds every text frame to the connection. */
    private static final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final BenchConnection connection;

        FrameHandler(BenchConnection connection) {
            this.connection = connection;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                connection.attach(ctx.channel());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                connection.onText(text.text());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connection.onClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connection.connected().completeExceptionally(cause);
            ctx.close();
        }
    }
}

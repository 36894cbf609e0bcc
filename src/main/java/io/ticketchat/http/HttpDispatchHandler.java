package io.ticketchat.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.ticketchat.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each complete HTTP request either to the Engine.IO endpoint mounted on its path or to the application's
 * {@link HttpRequestHandler}, and closes connections that stay idle.
 *
 * <p>One instance per connection, holding nothing of its own; whoever receives a request owns and releases it. A
 * WebSocket upgrade replaces this handler in the pipeline.
 */
final class HttpDispatchHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HttpDispatchHandler.class);

    private final EngineMounts mounts;
    private final HttpRequestHandler fallback;

    HttpDispatchHandler(EngineMounts mounts, HttpRequestHandler fallback) {
        this.mounts = mounts;
        this.fallback = fallback;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            request.release();
            JsonErrorResponses.sendAndClose(ctx, ErrorCode.INVALID_REQUEST, "Malformed HTTP request");
            return;
        }
        if (!hasDecodableUri(request.uri())) {
            request.release();
            log.debug("malformed percent-encoding in request uri remote={}", ctx.channel().remoteAddress());
            JsonErrorResponses.sendAndClose(ctx, ErrorCode.INVALID_REQUEST,
                    "Request URI has malformed percent-encoding");
            return;
        }
        var engine = mounts.find(request.uri());
        if (engine != null) {
            engine.handleRequest(ctx, request);
        } else if (fallback != null) {
            fallback.handle(ctx, request);
        } else {
            request.release();
            JsonErrorResponses.sendAndClose(ctx, ErrorCode.ROUTE_NOT_FOUND, "No resource at this path");
        }
    }

    /**
     * Returns whether the path and query of {@code uri} percent-decode. Netty's {@link QueryStringDecoder} throws
     * on a malformed escape such as {@code %zz} only when a part is first read, which would otherwise happen
     * inside a handler and surface there as an internal error or a dropped connection.
     */
    private static boolean hasDecodableUri(String uri) {
        try {
            QueryStringDecoder decoder = new QueryStringDecoder(uri);
            decoder.path();
            decoder.parameters();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            log.debug("idle connection closed remote={}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("http connection failed remote={} error={}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

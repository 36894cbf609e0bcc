package io.ticketchat.engineio;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes the complete WebSocket messages of one connection to its Engine.IO session, either as the session's
 * transport or as the WebSocket probing an upgrade from polling; the session tells the two apart.
 *
 * <p>Passes on whole messages only. So that an idle connection carries no aggregator and pipeline context, the
 * pipeline has no frame aggregator until the first fragment of a message arrives. This handler then adds a
 * {@link WebSocketFrameAggregator} bounded by the maximum payload in front of itself and hands it the fragment, and
 * the aggregator stays for the rest of the connection.
 *
 * <p>Replies to WebSocket pings and close frames itself. Its state is the session reference, set once on the
 * channel's event loop, and whether the aggregator was added. It notifies the session when the channel closes so
 * the session releases it.
 */
final class WebSocketTransportHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTransportHandler.class);
    private static final String AGGREGATOR_NAME = "ws-aggregator";

    private EngineIoSession session;
    private boolean aggregating;

    void bind(EngineIoSession boundSession) {
        this.session = boundSession;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!aggregating && session != null && msg instanceof WebSocketFrame frame && isFragment(frame)) {
            aggregating = true;
            WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(session.maxPayloadBytes());
            ctx.pipeline().addBefore(ctx.name(), AGGREGATOR_NAME, aggregator);
            aggregator.channelRead(ctx.pipeline().context(aggregator), frame);
            return;
        }
        super.channelRead(ctx, msg);
    }

    private static boolean isFragment(WebSocketFrame frame) {
        return !frame.isFinalFragment() || frame instanceof ContinuationWebSocketFrame;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            if (session != null) {
                session.onWebSocketText(ctx.channel(), text.text());
            }
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            if (session != null) {
                session.onWebSocketBinary(ctx.channel(), ByteBufUtil.getBytes(binary.content()));
            }
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(frame.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        } else if (!(frame instanceof PongWebSocketFrame)) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.onWebSocketClosed(ctx.channel());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (session != null && isMessageTooLarge(cause)) {
            session.onWebSocketMessageTooLarge();
        }
        log.debug("websocket failed sid={} error={}", session == null ? null : session.id(), cause.toString());
        ctx.close();
    }

    /**
     * Returns whether the cause is a message over the maximum payload: the frame decoder reports one large frame
     * with close status 1009, the frame aggregator a message whose fragments add up to too much.
     */
    private static boolean isMessageTooLarge(Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            return WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(corrupted.closeStatus());
        }
        return cause instanceof TooLongFrameException;
    }
}

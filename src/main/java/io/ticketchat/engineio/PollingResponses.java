package io.ticketchat.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.ticketchat.error.ErrorCode;

/** Writes the HTTP responses of the Engine.IO endpoint: polling payloads and JSON errors. */
final class PollingResponses {
    private PollingResponses() {
    }

    static void sendText(ChannelHandlerContext ctx, boolean keepAlive, String body) {
        send(ctx, keepAlive, HttpResponseStatus.OK, "text/plain; charset=UTF-8", body);
    }

    /** Sends the "ok" that acknowledges a polling POST; the reference server labels it text/html. */
    static void sendOk(ChannelHandlerContext ctx, boolean keepAlive) {
        send(ctx, keepAlive, HttpResponseStatus.OK, "text/html", "ok");
    }

    /**
     * Sends a 400 (403 for {@link EngineIoError#FORBIDDEN}) with the body {@code {"code":N,"message":"..."}}, the
     * shape the reference server sends.
     */
    static void sendError(ChannelHandlerContext ctx, boolean keepAlive, EngineIoError error) {
        String body = "{\"code\":" + error.code() + ",\"message\":\"" + error.message() + "\"}";
        HttpResponseStatus status = error == EngineIoError.FORBIDDEN
                ? HttpResponseStatus.FORBIDDEN
                : HttpResponseStatus.BAD_REQUEST;
        send(ctx, keepAlive, status, "application/json", body);
    }

    /**
     * Sends 413 with the contract's {@code invalid_request} error body and closes the connection, the same response
     * the HTTP layer sends for a body over its own limit.
     */
    static void sendPayloadTooLarge(ChannelHandlerContext ctx) {
        send(ctx, false, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "application/json",
                "{\"error\":{\"code\":\"" + ErrorCode.PAYLOAD_TOO_LARGE.wireName()
                        + "\",\"message\":\"Request body too large\"}}");
    }

    private static void send(
            ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type, String body) {
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }
}

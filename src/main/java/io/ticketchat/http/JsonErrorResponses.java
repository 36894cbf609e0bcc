package io.ticketchat.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.ticketchat.error.ErrorCode;

/** Writes the contract's REST error body {@code {"error":{"code":"...","message":"..."}}}. */
final class JsonErrorResponses {
    private JsonErrorResponses() {
    }

    /**
     * Sends the error and closes the connection, because the callers use it when the rest of the request cannot be
     * trusted or read. The message must be a constant without quotes or backslashes.
     */
    static void sendAndClose(ChannelHandlerContext ctx, ErrorCode code, String message) {
        String body = "{\"error\":{\"code\":\"" + code.wireName() + "\",\"message\":\"" + message + "\"}}";
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code.httpStatus()), content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}

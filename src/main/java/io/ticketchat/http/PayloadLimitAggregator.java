package io.ticketchat.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.ticketchat.error.ErrorCode;
import java.util.function.Consumer;

/**
 * Aggregates HTTP requests up to a body limit and answers a larger one with 413 and the contract's
 * {@code invalid_request} body, then closes the connection (its unread rest is not worth draining).
 *
 * <p>Tells the owner of the request's path about the rejection through a callback, so an Engine.IO session whose
 * client sent too much is closed as well. Holds no state beyond Netty's aggregation buffer of the current request.
 */
final class PayloadLimitAggregator extends HttpObjectAggregator {
    private final Consumer<String> oversizedUriListener;

    PayloadLimitAggregator(int maxBodyBytes, Consumer<String> oversizedUriListener) {
        super(maxBodyBytes);
        this.oversizedUriListener = oversizedUriListener;
    }

    /**
     * Leaves a request that announces an oversized body with {@code Expect: 100-continue} to
     * {@link #handleOversizedMessage}. Netty's own reply to it is an empty 413 that skips the contract's body and
     * the rejection callback. curl sends that header with large bodies (curl 7.88 did with a 2 MB body).
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest request) {
            oversizedUriListener.accept(request.uri());
        }
        JsonErrorResponses.sendAndClose(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "Request body too large");
    }
}

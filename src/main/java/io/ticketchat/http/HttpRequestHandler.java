package io.ticketchat.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Handles a complete HTTP request that is not for the Socket.IO endpoint: the REST API, health, metrics and
 * the web pages.
 *
 * <p>Called on the channel's event loop, so it must not block: database work goes to the bounded database
 * executor and the response is written from there. The handler owns the request and releases it.
 */
@FunctionalInterface
public interface HttpRequestHandler {
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}

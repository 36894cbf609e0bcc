package io.ticketchat.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ticketchat.error.ApiException;
import io.ticketchat.error.ErrorCode;
import io.ticketchat.http.HttpRequestHandler;
import io.ticketchat.metrics.ChatMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small method-and-path router for the REST API, health and metrics.
 *
 * <p>Patterns are literal segments and {@code {name}} placeholders, for example {@code /api/tickets/{id}}.
 * Every failure leaves as a contract error body {@code {"error":{"code","message"}}}: an
 * {@link ApiException} with its own code and status, anything else as {@code internal} with the cause logged
 * here once. No exception text or stack trace reaches the client.
 */
public final class Router implements HttpRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private static final int MAX_ECHOED_PATH_CHARS = 100;

    private final ObjectMapper mapper;
    private final ChatMetrics metrics;
    private final List<Route> routes = new ArrayList<>();

    public Router(ObjectMapper mapper, ChatMetrics metrics) {
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /** Adds a route; routes are matched in the order they were added. */
    public Router add(String method, String pattern, RouteHandler handler) {
        routes.add(new Route(HttpMethod.valueOf(method), pattern.split("/", -1), handler));
        return this;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String method = request.method().name();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        CompletionStage<RestResponse> response;
        try {
            RestRequest restRequest = toRestRequest(request, uri);
            response = dispatch(request.method(), restRequest);
        } catch (Exception e) {
            response = CompletableFuture.failedFuture(e);
        } finally {
            request.release();
        }
        response.whenComplete((result, failure) -> {
            RestResponse toWrite = failure == null ? result : errorResponse(method, path, failure);
            write(ctx, toWrite, keepAlive);
        });
    }

    private RestRequest toRestRequest(FullHttpRequest request, QueryStringDecoder uri) {
        byte[] body = ByteBufUtil.getBytes(request.content());
        return new RestRequest(
                request.method().name(),
                uri.path(),
                Map.of(),
                uri.parameters(),
                request.headers().get(HttpHeaderNames.AUTHORIZATION),
                body);
    }

    private CompletionStage<RestResponse> dispatch(HttpMethod method, RestRequest request) throws Exception {
        String[] segments = request.path().split("/", -1);
        boolean pathMatched = false;
        for (Route route : routes) {
            Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (route.method.equals(method)) {
                RestRequest routed = new RestRequest(request.method(), request.path(), params,
                        request.queryParams(), request.authorization(), request.body());
                return route.handler.handle(routed);
            }
        }
        if (pathMatched) {
            throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed on "
                    + shortened(request.path()));
        }
        throw new ApiException(ErrorCode.ROUTE_NOT_FOUND, "No API route for " + shortened(request.path()));
    }

    /** Returns the path as an error message may repeat it: at most 100 characters, so input is not echoed. */
    private static String shortened(String path) {
        return path.length() <= MAX_ECHOED_PATH_CHARS ? path : path.substring(0, MAX_ECHOED_PATH_CHARS) + "…";
    }

    private RestResponse errorResponse(String method, String path, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            log.debug("request rejected method={} path={} code={}", method, path, api.code().wireName());
            metrics.rejected(ChatMetrics.Via.HTTP, api.code());
            return new RestResponse(api.code().httpStatus(), errorBody(api.code(), api.clientMessage()), null);
        }
        log.warn("request failed method={} path={}", method, path, cause);
        metrics.rejected(ChatMetrics.Via.HTTP, ErrorCode.INTERNAL);
        return new RestResponse(500, errorBody(ErrorCode.INTERNAL, "Internal server error"), null);
    }

    /** Builds the contract's error body {@code {"error":{"code","message"}}}. */
    public ObjectNode errorBody(ErrorCode code, String message) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.wireName());
        error.put("message", message);
        return body;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void write(ChannelHandlerContext ctx, RestResponse response, boolean keepAlive) {
        byte[] bytes;
        String contentType;
        if (response.contentType() != null) {
            bytes = String.valueOf(response.body()).getBytes(StandardCharsets.UTF_8);
            contentType = response.contentType();
        } else {
            bytes = serialize(response.body());
            contentType = "application/json; charset=utf-8";
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(bytes));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(http, bytes.length);
        HttpUtil.setKeepAlive(http, keepAlive);
        var written = ctx.writeAndFlush(http);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private byte[] serialize(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            log.error("response serialization failed type={}", body == null ? "null" : body.getClass().getName(), e);
            return "{\"error\":{\"code\":\"internal\",\"message\":\"Internal server error\"}}"
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private record Route(HttpMethod method, String[] pattern, RouteHandler handler) {
        /** Returns the path parameters when the segments match this pattern, or null when they do not. */
        Map<String, String> match(String[] segments) {
            if (segments.length != pattern.length) {
                return null;
            }
            Map<String, String> params = null;
            for (int i = 0; i < pattern.length; i++) {
                String expected = pattern[i];
                if (expected.startsWith("{") && expected.endsWith("}")) {
                    if (segments[i].isEmpty()) {
                        return null;
                    }
                    if (params == null) {
                        params = new HashMap<>(2);
                    }
                    params.put(expected.substring(1, expected.length() - 1), segments[i]);
                } else if (!expected.equals(segments[i])) {
                    return null;
                }
            }
            return params == null ? Map.of() : params;
        }
    }
}

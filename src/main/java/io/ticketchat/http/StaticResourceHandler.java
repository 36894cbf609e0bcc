package io.ticketchat.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the web pages from a classpath folder (the build puts them under {@code web/} in the jar) and passes
 * every other request to the next handler, which answers API routes and unknown paths.
 *
 * <p>Only GET and HEAD of a path made of plain file-name segments with a known extension are served: a segment
 * cannot start with a dot, so {@code ..} (also percent-encoded, because the path is decoded first), hidden files
 * and folders without an extension never resolve, and no directory is listed. {@code /} serves
 * {@code index.html}. Names under {@code assets/} carry a content hash from the front-end build and are cached
 * for a year; everything else must be revalidated, through its ETag. Every page response carries a
 * Content-Security-Policy that allows scripts, styles and connections from this origin only, so inline scripts
 * never run.
 *
 * <p>Files are read once from the classpath, on the event loop, and kept in memory: the cache is bounded by the
 * files the jar contains, because only names that exist are cached.
 */
public final class StaticResourceHandler implements HttpRequestHandler {
    private static final Logger log = LoggerFactory.getLogger(StaticResourceHandler.class);

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";
    private static final String HASHED_CACHE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE_CACHE = "no-cache";
    private static final Pattern FILE_PATH = Pattern.compile(
            "(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\\.([a-z0-9]+)");
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private final String root;
    private final ClassLoader loader;
    private final HttpRequestHandler next;
    private final Map<String, StaticFile> files = new ConcurrentHashMap<>();

    /**
     * Creates a handler for the classpath folder {@code root} (for example {@code web}) that passes what it does not
     * serve to {@code next}.
     */
    public StaticResourceHandler(String root, HttpRequestHandler next) {
        this.root = root;
        this.loader = StaticResourceHandler.class.getClassLoader();
        this.next = next;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            next.handle(ctx, request);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        String name = "/".equals(path) ? "index.html" : path.substring(1);
        StaticFile file = isApiPath(path) ? null : find(name);
        if (file == null) {
            next.handle(ctx, request);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean notModified = file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        request.release();
        write(ctx, file, HttpMethod.HEAD.equals(method) || notModified, notModified, keepAlive);
    }

    private static boolean isApiPath(String path) {
        return path.startsWith("/api/") || path.startsWith("/health/") || "/metrics".equals(path)
                || path.startsWith("/socket.io/");
    }

    private StaticFile find(String name) {
        var matcher = FILE_PATH.matcher(name);
        if (!matcher.matches()) {
            return null;
        }
        String contentType = CONTENT_TYPES.get(matcher.group(1));
        if (contentType == null) {
            return null;
        }
        StaticFile cached = files.get(name);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = read(root + "/" + name);
        if (bytes == null) {
            return null;
        }
        String cacheControl = name.startsWith("assets/") ? HASHED_CACHE : REVALIDATE_CACHE;
        StaticFile file = new StaticFile(bytes, contentType, cacheControl, etag(bytes));
        files.put(name, file);
        return file;
    }

    /** Reads a classpath file, or returns null when it is missing or is a folder. */
    private byte[] read(String resource) {
        URL url = loader.getResource(resource);
        if (url == null) {
            return null;
        }
        try {
            if ("file".equals(url.getProtocol()) && !Files.isRegularFile(Path.of(url.toURI()))) {
                return null;
            }
            try (InputStream in = url.openStream()) {
                return in.readAllBytes();
            }
        } catch (IOException | URISyntaxException e) {
            log.warn("static file read failed resource={} error={}", resource, e.toString());
            return null;
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void write(ChannelHandlerContext ctx, StaticFile file, boolean headersOnly, boolean notModified,
            boolean keepAlive) {
        HttpResponseStatus status = notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                headersOnly ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.bytes()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
        headers.set(HttpHeaderNames.CACHE_CONTROL, file.cacheControl());
        headers.set(HttpHeaderNames.ETAG, file.etag());
        headers.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        if (!notModified) {
            HttpUtil.setContentLength(response, file.bytes().length);
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private record StaticFile(byte[] bytes, String contentType, String cacheControl, String etag) {
    }
}

package io.ticketchat.engineio;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the client sent in the request that opened a session: query parameters, headers and remote address.
 *
 * <p>Copied out of the request as flat string arrays, so the request itself is released at once and a session keeps
 * only these strings, the headers until {@link EngineIoSession#releaseHeaders}. Query parameter names and values
 * that every Engine.IO client sends ({@code EIO=4}, {@code transport=websocket}) are kept as shared constants, not as
 * a copy per session. Immutable, so any thread may read it.
 */
final class HandshakeRequest {
    private static final String[] NO_HEADERS = new String[0];
    /** Query strings that clients send in the same form, mapped to one shared instance each. */
    private static final Map<String, String> COMMON_QUERY_STRINGS = Stream.of(
                    "EIO", "4", "transport", "websocket", "polling", "t", "sid", "b64", "j")
            .collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));

    private final String[] query;
    private final String[] headers;
    private final SocketAddress remoteAddress;

    HandshakeRequest(Map<String, List<String>> parameters, HttpHeaders httpHeaders, SocketAddress remoteAddress) {
        this.query = new String[parameters.size() * 2];
        int i = 0;
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            query[i++] = shared(entry.getKey());
            query[i++] = entry.getValue().isEmpty() ? "" : shared(entry.getValue().get(0));
        }
        this.headers = new String[httpHeaders.size() * 2];
        int j = 0;
        for (Map.Entry<String, String> entry : httpHeaders) {
            headers[j++] = entry.getKey();
            headers[j++] = entry.getValue();
        }
        this.remoteAddress = remoteAddress;
    }

    private HandshakeRequest(String[] query, String[] headers, SocketAddress remoteAddress) {
        this.query = query;
        this.headers = headers;
        this.remoteAddress = remoteAddress;
    }

    /** Returns a copy without headers, with the same query parameters and remote address. */
    HandshakeRequest withoutHeaders() {
        return new HandshakeRequest(query, NO_HEADERS, remoteAddress);
    }

    private static String shared(String value) {
        return COMMON_QUERY_STRINGS.getOrDefault(value, value);
    }

    /** Returns the first value of a query parameter, or null when it is absent. */
    String queryParam(String name) {
        for (int i = 0; i < query.length; i += 2) {
            if (query[i].equals(name)) {
                return query[i + 1];
            }
        }
        return null;
    }

    /** Returns the first value of a header, matching the name case-insensitively, or null when it is absent. */
    String header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    SocketAddress remoteAddress() {
        return remoteAddress;
    }
}

package io.ticketchat.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.ticketchat.engineio.EngineIoServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Engine.IO endpoints of a server by path prefix, fixed when the server is built; read from any thread. */
final class EngineMounts {
    private final Map<String, EngineIoServer> byPrefix;

    EngineMounts(Map<String, EngineIoServer> byPrefix) {
        this.byPrefix = new LinkedHashMap<>(byPrefix);
    }

    /** Returns the endpoint whose path is the request's path or a prefix of it, or null. */
    EngineIoServer find(String uri) {
        if (byPrefix.isEmpty()) {
            return null;
        }
        String path = new QueryStringDecoder(uri).path();
        for (Map.Entry<String, EngineIoServer> entry : byPrefix.entrySet()) {
            String prefix = entry.getKey();
            if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Passes an oversized request to the endpoint of its path; returns false when no endpoint serves it. */
    boolean onPayloadTooLarge(String uri) {
        EngineIoServer engine = find(uri);
        if (engine == null) {
            return false;
        }
        engine.onPayloadTooLarge(uri);
        return true;
    }

    Iterable<EngineIoServer> engines() {
        return byPrefix.values();
    }
}

package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.engineio.EngineIoSession;
import java.net.SocketAddress;

/** The handshake of one CONNECT: its auth payload and the opening request of the Engine.IO session. Immutable. */
final class SocketHandshake implements Handshake {
    private final JsonNode auth;
    private final EngineIoSession session;

    SocketHandshake(JsonNode auth, EngineIoSession session) {
        this.auth = auth;
        this.session = session;
    }

    @Override
    public JsonNode auth() {
        return auth;
    }

    @Override
    public String queryParam(String name) {
        return session.queryParam(name);
    }

    @Override
    public String header(String name) {
        return session.header(name);
    }

    @Override
    public SocketAddress remoteAddress() {
        return session.remoteAddress();
    }
}

package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.ticketchat.engineio.EngineIoSession;
import java.net.SocketAddress;

/**
 * The handshake of one CONNECT: its auth payload and the opening request of the Engine.IO session. Immutable:
 * {@link #release} returns a smaller copy.
 */
final class SocketHandshake implements Handshake {
    private final JsonNode auth;
    private final EngineIoSession session;

    SocketHandshake(JsonNode auth, EngineIoSession session) {
        this.auth = auth;
        this.session = session;
    }

    /**
     * Returns a copy without the auth payload ({@link #auth} is then a missing node) and drops the session's
     * headers. The socket calls it once its connection listeners ran, because an idle connection would
     * otherwise keep the token and every header string.
     */
    SocketHandshake release() {
        session.releaseHeaders();
        return new SocketHandshake(MissingNode.getInstance(), session);
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

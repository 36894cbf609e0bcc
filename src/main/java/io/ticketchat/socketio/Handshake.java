package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.SocketAddress;

/**
 * What a client sent to connect to a namespace: the {@code auth} payload of its CONNECT packet and the query
 * parameters, headers and remote address of the HTTP request that opened its Engine.IO session.
 *
 * <p>Complete in connect middlewares and connection listeners. Once a socket's connection listeners have run,
 * its handshake keeps no {@code auth} payload, and the session keeps no headers, so later CONNECT packets of the
 * same session see none. Query parameters and the remote address stay for the session's lifetime.
 */
public interface Handshake {
    /**
     * Returns the CONNECT packet's {@code auth} object (the JavaScript client's {@code auth} option); an empty
     * object when the client sent none, as in the reference server. Never null: a missing node once the connection
     * listeners have run.
     */
    JsonNode auth();

    /** Returns the first value of a query parameter of the opening request, or null when it is absent. */
    String queryParam(String name);

    /**
     * Returns a header of the opening request, matched case-insensitively, or null when it is absent or the
     * session's first socket has finished connecting.
     */
    String header(String name);

    SocketAddress remoteAddress();
}

package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.SocketAddress;

/**
 * What a client sent to connect to a namespace: the {@code auth} payload of its CONNECT packet and the query
 * parameters, headers and remote address of the HTTP request that opened its Engine.IO session. Immutable.
 */
public interface Handshake {
    /**
     * Returns the CONNECT packet's {@code auth} object (the JavaScript client's {@code auth} option); an empty
     * object when the client sent none, as in the reference server. Never null.
     */
    JsonNode auth();

    /** Returns the first value of a query parameter of the opening request, or null when it is absent. */
    String queryParam(String name);

    /** Returns a header of the opening request, matched case-insensitively, or null when it is absent. */
    String header(String name);

    SocketAddress remoteAddress();
}

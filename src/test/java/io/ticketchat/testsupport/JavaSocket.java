package io.ticketchat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * The official Java Socket.IO client ({@code io.socket:socket.io-client} 2.x) with every received event
 * recorded as Jackson JSON, so tests can count and inspect what arrived.
 */
public final class JavaSocket implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Socket socket;
    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<String> disconnected = new CompletableFuture<>();

    private JavaSocket(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects with the given token in the handshake's {@code auth} and waits for the outcome.
     *
     * @param transports for example {@code "websocket"}, {@code "polling"}, or both for the upgrade
     */
    public static JavaSocket connect(String baseUrl, String token, String... transports) {
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                .setTransports(transports.length == 0 ? null : transports)
                .setAuth(token == null ? Map.of() : Map.of("token", token))
                .build();
        JavaSocket client = new JavaSocket(IO.socket(URI.create(baseUrl), options));
        client.listen();
        client.socket.connect();
        return client;
    }

    private void listen() {
        socket.on(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new IllegalStateException(String.valueOf(args.length > 0 ? args[0] : "connect_error"))));
        socket.on(Socket.EVENT_DISCONNECT, args -> disconnected.complete(
                args.length > 0 ? String.valueOf(args[0]) : ""));
        socket.onAnyIncoming(args -> {
            String event = String.valueOf(args[0]);
            Object payload = args.length > 1 ? args[1] : null;
            received.computeIfAbsent(event, name -> new CopyOnWriteArrayList<>()).add(toJson(payload));
        });
    }

    /** Waits for the handshake and returns this client, or throws with the server's connect_error. */
    public JavaSocket awaitConnected() throws Exception {
        connected.get(10, TimeUnit.SECONDS);
        return this;
    }

    public CompletableFuture<Void> connected() {
        return connected;
    }

    public CompletableFuture<String> disconnected() {
        return disconnected;
    }

    /** Emits an event with one JSON argument and returns the acknowledgement's first argument. */
    public CompletableFuture<JsonNode> emitWithAck(String event, Object payload) {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        socket.emit(event, new Object[] {toOrgJson(payload)}, (Ack) args -> reply.complete(
                args.length > 0 ? toJson(args[0]) : null));
        return reply;
    }

    public JsonNode call(String event, Object payload) throws Exception {
        return emitWithAck(event, payload).get(10, TimeUnit.SECONDS);
    }

    public void emit(String event, Object payload) {
        socket.emit(event, toOrgJson(payload));
    }

    /** Returns the payloads of an event received so far, oldest first. */
    public List<JsonNode> events(String event) {
        return List.copyOf(received.getOrDefault(event, List.of()));
    }

    public boolean isConnected() {
        return socket.connected();
    }

    @Override
    public void close() {
        socket.disconnect();
        socket.close();
    }

    private static Object toOrgJson(Object payload) {
        if (payload instanceof String || payload == null) {
            return payload;
        }
        JsonNode node = MAPPER.valueToTree(payload);
        try {
            if (node.isArray()) {
                return new JSONArray(node.toString());
            }
            if (node.isObject()) {
                return new JSONObject(node.toString());
            }
        } catch (org.json.JSONException e) {
            throw new IllegalArgumentException("payload is not JSON: " + payload, e);
        }
        return payload;
    }

    private static JsonNode toJson(Object value) {
        try {
            if (value instanceof JSONObject || value instanceof JSONArray) {
                return MAPPER.readTree(value.toString());
            }
            return MAPPER.valueToTree(value == JSONObject.NULL ? null : value);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable payload " + value, e);
        }
    }
}

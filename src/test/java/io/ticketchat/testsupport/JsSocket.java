package io.ticketchat.testsupport;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One socket of the official JavaScript client, driven through {@link NodeClientDriver}.
 *
 * <p>Records everything the client reports: the connect outcome, every received event with its arguments (binary
 * values appear as {@code {"_binary": base64}}), acknowledgement replies and the disconnect reason. The await methods
 * wait up to {@link #DEFAULT_TIMEOUT} by polling these records. Safe from any thread.
 */
public final class JsSocket {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final NodeClientDriver driver;
    private final String id;
    private final CompletableFuture<JsonNode> connected = new CompletableFuture<>();
    private final CompletableFuture<JsonNode> connectError = new CompletableFuture<>();
    private final CompletableFuture<String> disconnected = new CompletableFuture<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<Integer, CompletableFuture<JsonNode>> pendingAcks = new ConcurrentHashMap<>();
    private final AtomicInteger nextSeq = new AtomicInteger();
    private volatile String transport;

    JsSocket(NodeClientDriver driver, String id) {
        this.driver = driver;
        this.id = id;
    }

    public static Options options() {
        return new Options();
    }

    /** Returns the socket id the server assigned, waiting for the connection. */
    public String awaitConnected() {
        return connected.orTimeout(DEFAULT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join().path("sid").asText();
    }

    /** Returns the {@code connect_error} report: {@code {message, data}}, waiting for it. */
    public JsonNode awaitConnectError() {
        return connectError.orTimeout(DEFAULT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    /** Returns the disconnect reason as the client names it, waiting for it. */
    public String awaitDisconnect() {
        return disconnected.orTimeout(DEFAULT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
    }

    public boolean isConnected() {
        return connected.isDone() && !disconnected.isDone();
    }

    /** Returns the client's current transport: {@code polling} or {@code websocket}. */
    public String transport() {
        return transport;
    }

    /** Sends an event; byte arrays among the arguments are sent as binary. */
    public void emit(String event, Object... args) {
        ObjectNode command = driver.command("emit", id).put("event", event).put("ack", false);
        command.set("args", toArgs(args));
        driver.send(command);
    }

    /** Sends an event with an acknowledgement callback; completes with the array of the server's ack arguments. */
    public CompletableFuture<JsonNode> emitWithAck(String event, Object... args) {
        int seq = nextSeq.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pendingAcks.put(seq, reply);
        ObjectNode command = driver.command("emit", id).put("event", event).put("ack", true).put("seq", seq);
        command.set("args", toArgs(args));
        driver.send(command);
        return reply;
    }

    /** Sets the arguments the client sends back when the server requests an acknowledgement of this event. */
    public void replyToAcks(String event, Object... args) {
        ObjectNode command = driver.command("ack-reply", id).put("event", event);
        command.set("args", toArgs(args));
        driver.send(command);
    }

    /** Returns the argument arrays of every received event of this name, oldest first. */
    public List<JsonNode> events(String event) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode report : events) {
            if (report.path("event").asText().equals(event)) {
                matching.add(report.path("args"));
            }
        }
        return matching;
    }

    /** Waits for an event of this name whose argument array matches, and returns that array. */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> predicate) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(DEFAULT_TIMEOUT).until(() -> {
            for (JsonNode args : events(event)) {
                if (predicate.test(args)) {
                    found[0] = args;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Disconnects from the namespace, as {@code socket.disconnect()} does. */
    public void disconnect() {
        driver.send(driver.command("disconnect", id));
    }

    /** Closes the underlying transport abruptly, without a DISCONNECT packet. */
    public void closeEngine() {
        driver.send(driver.command("close-engine", id));
    }

    void onReport(JsonNode report) {
        switch (report.path("type").asText()) {
            case "connect" -> {
                transport = report.path("transport").asText();
                connected.complete(report);
            }
            case "upgrade" -> transport = report.path("transport").asText();
            case "connect_error" -> connectError.complete(report);
            case "disconnect" -> disconnected.complete(report.path("reason").asText());
            case "event" -> events.add(report);
            case "ack" -> {
                CompletableFuture<JsonNode> reply = pendingAcks.remove(report.path("seq").asInt());
                if (reply != null) {
                    reply.complete(report.path("args"));
                }
            }
            default -> events.add(report);
        }
    }

    private static ArrayNode toArgs(Object[] args) {
        ArrayNode array = NodeClientDriver.MAPPER.createArrayNode();
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                array.addObject().put("_binary", java.util.Base64.getEncoder().encodeToString(bytes));
            } else {
                array.add((JsonNode) NodeClientDriver.MAPPER.valueToTree(arg));
            }
        }
        return array;
    }

    /** Options of the JavaScript client's {@code io(url, options)}; unset ones keep the client's defaults. */
    public static final class Options {
        private final ObjectNode json = NodeClientDriver.MAPPER.createObjectNode();

        public Options websocketOnly() {
            json.putArray("transports").add("websocket");
            return this;
        }

        public Options pollingOnly() {
            json.putArray("transports").add("polling");
            return this;
        }

        public Options auth(Object auth) {
            json.set("auth", NodeClientDriver.MAPPER.valueToTree(auth));
            return this;
        }

        public Options query(Map<String, String> query) {
            json.set("query", NodeClientDriver.MAPPER.valueToTree(query));
            return this;
        }

        public Options reconnection(boolean enabled) {
            json.put("reconnection", enabled);
            return this;
        }

        public Options forceNew(boolean enabled) {
            json.put("forceNew", enabled);
            return this;
        }

        /** Sets any other client option by name. */
        public Options set(String name, Object value) {
            json.set(name, NodeClientDriver.MAPPER.valueToTree(value));
            return this;
        }

        ObjectNode toJson() {
            return json.deepCopy();
        }
    }
}

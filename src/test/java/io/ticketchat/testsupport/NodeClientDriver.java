package io.ticketchat.testsupport;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the official Socket.IO JavaScript client ({@code socket.io-client} 4.8, installed by the build in
 * {@code src/test/node}) in one Node.js process that runs any number of client sockets, for end-to-end tests.
 *
 * <p>Typical use:
 * <pre>{@code
 * try (NodeClientDriver node = NodeClientDriver.start()) {
 *     JsSocket socket = node.connect("http://127.0.0.1:" + port + "/", JsSocket.options().websocketOnly().auth(auth));
 *     socket.awaitConnected();
 *     JsonNode reply = socket.emitWithAck("join_ticket", "t1").get(5, TimeUnit.SECONDS);
 *     JsonNode event = socket.awaitEvent("new_message", args -> true);
 * }
 * }</pre>
 *
 * <p>The process reads commands as JSON lines on its stdin and writes reports as JSON lines on its stdout (see
 * {@code driver.js}); one reader thread routes each report to its {@link JsSocket}. Sockets are created with
 * {@code forceNew: true} and {@code reconnection: false} unless the options say otherwise. {@link #close()} quits the
 * process and kills it if it does not exit within 5 s. Safe from any thread.
 */
public final class NodeClientDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeClientDriver.class);
    static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Escapes every non-ASCII char as a JSON unicode escape, so that test strings with an unpaired surrogate reach the
     * client unchanged instead of being replaced by {@code ?} when the command is encoded as UTF-8.
     */
    private static final ObjectWriter COMMAND_WRITER = MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    private final Process process;
    private final Writer stdin;
    private final Map<String, JsSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> churns = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Thread reader;

    private NodeClientDriver(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::readReports, "node-client-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts the driver from {@code src/test/node} (or the folder in the system property
     * {@code ticketchat.node.dir}); fails when Node.js or the installed client is missing.
     */
    public static NodeClientDriver start() {
        Path dir = Path.of(System.getProperty("ticketchat.node.dir", "src/test/node")).toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules/socket.io-client"))) {
            throw new IllegalStateException("socket.io-client is not installed in " + dir
                    + "; run 'npm ci' there (the Maven build does it in generate-test-resources)");
        }
        try {
            Process process = new ProcessBuilder("node", "driver.js")
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new NodeClientDriver(process);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to start node; install Node.js 18 or later", e);
        }
    }

    /** Connects a new client socket; the URL's path is the namespace, for example {@code http://127.0.0.1:8080/}. */
    public JsSocket connect(String url, JsSocket.Options options) {
        String id = "s" + nextId.incrementAndGet();
        JsSocket socket = new JsSocket(this, id);
        sockets.put(id, socket);
        ObjectNode command = command("connect", id).put("url", url);
        command.set("options", options.toJson());
        send(command);
        return socket;
    }

    /**
     * Runs churn cycles inside the Node.js process and waits for them: each cycle connects a new client socket,
     * joins a ticket, sends a message and a typing event, and disconnects (see {@code driver.js}). No per-socket
     * state is kept on the Java side.
     *
     * @param users objects with {@code token} and {@code ticketId}, used in turn
     * @param modes cycle kinds used in turn: {@code clean}, {@code abrupt} or {@code mid-join}
     * @return the {@code churn-done} report: {@code cycles}, {@code outcomes} (counts by transport and outcome)
     *     and {@code elapsedMs}
     */
    public JsonNode churn(String url, int cycles, int concurrency, List<Map<String, String>> users, List<String> modes,
            int offset, Duration timeout) {
        String id = "churn" + nextId.incrementAndGet();
        CompletableFuture<JsonNode> done = new CompletableFuture<>();
        churns.put(id, done);
        ObjectNode command = command("churn", id)
                .put("url", url)
                .put("cycles", cycles)
                .put("concurrency", concurrency)
                .put("offset", offset);
        command.set("users", MAPPER.valueToTree(users));
        command.set("modes", MAPPER.valueToTree(modes));
        send(command);
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for churn " + id, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("churn " + id + " did not finish within " + timeout, e);
        } finally {
            churns.remove(id);
        }
    }

    ObjectNode command(String name, String id) {
        return MAPPER.createObjectNode().put("cmd", name).put("id", id);
    }

    synchronized void send(JsonNode command) {
        try {
            stdin.write(COMMAND_WRITER.writeValueAsString(command));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to send a command to the node client driver", e);
        }
    }

    private void readReports() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                route(line);
            }
        } catch (IOException e) {
            log.debug("node client driver output ended error={}", e.toString());
        }
    }

    private void route(String line) {
        JsonNode report;
        try {
            report = MAPPER.readTree(line);
        } catch (IOException e) {
            log.warn("unreadable line from the node client driver: {}", line);
            return;
        }
        CompletableFuture<JsonNode> churn = churns.get(report.path("id").asText(""));
        if (churn != null && "churn-done".equals(report.path("type").asText())) {
            churn.complete(report);
            return;
        }
        JsSocket socket = sockets.get(report.path("id").asText(""));
        if (socket != null) {
            socket.onReport(report);
        } else {
            log.warn("report for no socket from the node client driver: {}", line);
        }
    }

    @Override
    public void close() {
        try {
            send(MAPPER.createObjectNode().put("cmd", "quit"));
        } catch (UncheckedIOException e) {
            log.debug("node client driver already gone");
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

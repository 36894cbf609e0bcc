package io.ticketchat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.TicketChatServer;
import io.ticketchat.config.LimitsConfig;
import io.ticketchat.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

/**
 * A TicketChat server for tests: embedded SQLite in a given folder, a random port on 127.0.0.1, a fixed
 * test secret, and short heartbeats. Helpers call the REST API and mint tokens the way a host application
 * that shares the secret would.
 */
public final class TestServer implements AutoCloseable {
    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256-signing";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dataDir;
    private final TicketChatServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dataDir, TicketChatServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static TestServer start(Path dataDir) throws Exception {
        return start(dataDir, LimitsConfig.defaults());
    }

    public static TestServer start(Path dataDir, LimitsConfig limits) throws Exception {
        return start(dataDir, limits, Duration.ofSeconds(10));
    }

    /** Starts a server with a presence grace of 500 ms and the given limits and typing timeout. */
    public static TestServer start(Path dataDir, LimitsConfig limits, Duration typingTimeout) throws Exception {
        return start(dataDir, limits, typingTimeout, 0);
    }

    /** Starts a server on a fixed port, so that a browser page can reconnect to the same address after a restart. */
    public static TestServer start(Path dataDir, int port) throws Exception {
        return start(dataDir, LimitsConfig.defaults(), Duration.ofSeconds(10), port);
    }

    /** Starts a server with the test settings as changed by {@code customize}, for settings without a helper. */
    public static TestServer start(Path dataDir, UnaryOperator<ServerConfig> customize) throws Exception {
        return start(dataDir, LimitsConfig.defaults(), Duration.ofSeconds(10), 0, customize);
    }

    private static TestServer start(Path dataDir, LimitsConfig limits, Duration typingTimeout, int port)
            throws Exception {
        return start(dataDir, limits, typingTimeout, port, UnaryOperator.identity());
    }

    private static TestServer start(Path dataDir, LimitsConfig limits, Duration typingTimeout, int port,
            UnaryOperator<ServerConfig> customize) throws Exception {
        ServerConfig config = new ServerConfig(
                "127.0.0.1",
                port,
                dataDir,
                null,
                null,
                SECRET,
                Duration.ofHours(1),
                Duration.ofMillis(500),
                typingTimeout,
                false,
                Duration.ofMillis(2_000),
                Duration.ofMillis(2_000),
                limits);
        return new TestServer(dataDir, TicketChatServer.start(customize.apply(config).validate()));
    }

    /** Stops this server and starts a new one on the same data folder. */
    public TestServer restart() throws Exception {
        server.close();
        return start(dataDir);
    }

    /** Stops this server and starts a new one on the same data folder and the same port. */
    public TestServer restartOnSamePort() throws Exception {
        int port = server.port();
        server.close();
        return start(dataDir, port);
    }

    public TicketChatServer server() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Mints a token the way a host application that shares the secret would. */
    public static String token(String userId, String role, String name, Duration validFor) {
        return JWT.create()
                .withSubject(userId)
                .withClaim("role", role)
                .withClaim("name", name)
                .withClaim("email", userId + "@example.test")
                .withExpiresAt(Date.from(Instant.now().plus(validFor)))
                .sign(Algorithm.HMAC256(SECRET));
    }

    public static String token(String userId, String role, String name) {
        return token(userId, role, name, Duration.ofHours(1));
    }

    public Response get(String path, String token) throws IOException, InterruptedException {
        return send(builder(path, token).GET().build());
    }

    public Response post(String path, String token, Object body) throws IOException, InterruptedException {
        String json = body instanceof String text ? text : MAPPER.writeValueAsString(body);
        return send(builder(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response patch(String path, String token, Object body) throws IOException, InterruptedException {
        String json = body instanceof String text ? text : MAPPER.writeValueAsString(body);
        return send(builder(path, token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : MAPPER.readTree(response.body());
        return new Response(response.statusCode(), body);
    }

    @Override
    public void close() {
        server.close();
    }

    /** An HTTP status with its parsed JSON body, null when the body was empty. */
    public record Response(int status, JsonNode body) {
    }
}

package io.ticketchat.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sends malformed REST requests over a raw socket, so that URLs and headers no HTTP client library would build
 * reach the server, and checks the status and the contract's error body {@code {"error":{"code","message"}}}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestErrorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CUSTOMER = TestServer.token("customer-1", "customer", "Ada");

    @TempDir
    static Path dataDir;

    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> badRequests() {
        String json = "application/json";
        String bearer = "Bearer " + CUSTOMER;
        String wrongSignature = CUSTOMER.substring(0, CUSTOMER.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        String expired = TestServer.token("customer-1", "customer", "Ada", Duration.ofMinutes(-5));
        return Stream.of(
                Arguments.of("POST", "/api/auth/login", json, "{bad", null, 400, "invalid_request"),
                Arguments.of("POST", "/api/auth/login", json, "[1,2]", null, 400, "invalid_request"),
                Arguments.of("POST", "/api/auth/login", json, "\"text\"", null, 400, "invalid_request"),
                Arguments.of("POST", "/api/auth/login", json, "null", null, 400, "invalid_request"),
                Arguments.of("POST", "/api/auth/login", json, "", null, 400, "invalid_request"),
                Arguments.of("POST", "/api/auth/login", json, "{\"email\":1,\"password\":[]}", null, 400,
                        "invalid_request"),
                Arguments.of("POST", "/api/auth/register", "application/x-www-form-urlencoded", "email=a&password=b",
                        null, 400, "invalid_request"),
                Arguments.of("POST", "/api/auth/register", "text/plain", "hello", null, 400, "invalid_request"),
                Arguments.of("POST", "/api/tickets", json, "[]", bearer, 400, "invalid_request"),
                Arguments.of("POST", "/api/tickets", json, "{\"subject\":\"a\"} trailing", bearer, 400,
                        "invalid_request"),
                Arguments.of("POST", "/api/tickets", json, "{\"subject\":\"a\"}{}", bearer, 400, "invalid_request"),
                Arguments.of("POST", "/api/tickets", json, "{\"subject\":\"a\",\"subject\":\"b\"}", bearer, 400,
                        "invalid_request"),
                Arguments.of("POST", "/api/tickets", json, "{\"subject\":5}", bearer, 400, "invalid_request"),
                Arguments.of("POST", "/api/tickets", "multipart/form-data; boundary=x", "--x--", bearer, 400,
                        "invalid_request"),
                Arguments.of("GET", "/api/me", null, null, null, 401, "unauthorized"),
                Arguments.of("GET", "/api/me", null, null, "Bearer ", 401, "unauthorized"),
                Arguments.of("GET", "/api/me", null, null, "Bearer not-a-jwt", 401, "unauthorized"),
                Arguments.of("GET", "/api/me", null, null, "Basic YTpi", 401, "unauthorized"),
                Arguments.of("GET", "/api/me", null, null, "Bearer " + wrongSignature, 401, "unauthorized"),
                Arguments.of("GET", "/api/me", null, null, "Bearer " + expired, 401, "unauthorized"),
                Arguments.of("GET", "/api/nope", null, null, bearer, 404, "invalid_request"),
                Arguments.of("GET", "/nope", null, null, null, 404, "invalid_request"),
                Arguments.of("DELETE", "/api/tickets", null, null, bearer, 405, "invalid_request"),
                Arguments.of("PUT", "/api/me", json, "{}", bearer, 405, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=abc", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=-1", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=0", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=1e9", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=99999999999999999999", null, null, bearer, 400,
                        "invalid_request"),
                Arguments.of("GET", "/api/tickets?cursor=abc", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?cursor=eyJhIjoxfQ", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?cursor=%00%FF", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?status=bogus", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=%", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets?limit=%zz", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets/%zz", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/api/tickets/%E0%A4%A", null, null, bearer, 400, "invalid_request"),
                Arguments.of("GET", "/health/live?x=%", null, null, null, 400, "invalid_request"),
                Arguments.of("GET", "/socket.io/?EIO=4&transport=polling&x=%", null, null, null, 400,
                        "invalid_request"),
                Arguments.of("GET", "/api/tickets/no-such-ticket", null, null, bearer, 404, "ticket_not_found"),
                Arguments.of("POST", "/api/tickets/no-such-ticket/messages", json, "{\"content\":\"hi\"}", bearer,
                        404, "ticket_not_found"),
                Arguments.of("POST", "/api/tickets", json, "{\"subject\":\"" + "x".repeat(1_000_001) + "\"}",
                        bearer, 413, "invalid_request"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {5}")
    @MethodSource("badRequests")
    void returnsContractErrorBody(String method, String target, String contentType, String body,
            String authorization, int status, String code) throws Exception {
        RawResponse response = send(method, target, contentType, body, authorization);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "at io.", "SQL", "org.", "java.");
        JsonNode error = MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @Test
    void unknownLongPathIsNotEchoedWhole() throws Exception {
        String path = "/api/" + "a".repeat(3_000);

        RawResponse response = send("GET", path, null, null, null);

        assertThat(response.status()).isEqualTo(404);
        assertThat(MAPPER.readTree(response.body()).at("/error/message").asText()).hasSizeLessThan(150);
    }

    @Test
    void expectContinueOversizedBodyGets413() throws Exception {
        String head = "POST /api/tickets HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + CUSTOMER + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 2000000\r\n"
                + "Expect: 100-continue\r\n\r\n";

        RawResponse response;
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            response = RawResponse.parse(readAll(socket.getInputStream()));
        }

        assertThat(response.status()).isEqualTo(413);
        assertThat(MAPPER.readTree(response.body()).path("error").path("code").asText()).isEqualTo("invalid_request");
    }

    private RawResponse send(String method, String target, String contentType, String body, String authorization)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // The server may send 413 and close before reading the whole body, so the response is still readable.
            }
            return RawResponse.parse(readAll(socket.getInputStream()));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int read;
            while ((read = in.read(chunk)) != -1) {
                buffer.write(chunk, 0, read);
            }
        } catch (IOException e) {
            if (buffer.size() == 0) {
                throw e;
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** A status code and body read from a raw HTTP/1.1 response; status 0 when the server sent nothing. */
    record RawResponse(int status, String body) {
        static RawResponse parse(String raw) {
            if (raw.isEmpty()) {
                return new RawResponse(0, "");
            }
            int statusStart = raw.indexOf(' ') + 1;
            int status = Integer.parseInt(raw.substring(statusStart, statusStart + 3));
            int bodyStart = raw.indexOf("\r\n\r\n");
            return new RawResponse(status, bodyStart < 0 ? "" : raw.substring(bodyStart + 4));
        }
    }
}

package io.ticketchat.chat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ticketchat.testsupport.JsSocket;
import io.ticketchat.testsupport.NodeClientDriver;
import io.ticketchat.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket per-message deflate: off by default, and chat works through it when the setting turns it on. */
class WebSocketCompressionTest {
    @TempDir
    Path dataDir;

    @Test
    void deflateIsNotOfferedByDefault() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            String response = upgradeOfferingDeflate(server.server().port());

            assertThat(response).startsWith("HTTP/1.1 101");
            assertThat(response.toLowerCase(Locale.ROOT)).doesNotContain("permessage-deflate");
        }
    }

    @Test
    void chatWorksWithDeflateTurnedOn() throws Exception {
        try (TestServer server = TestServer.start(dataDir, config -> config.withWebSocketCompression(true));
                NodeClientDriver node = NodeClientDriver.start()) {
            String response = upgradeOfferingDeflate(server.server().port());
            String token = server.post("/api/auth/register", null,
                    Map.of("email", "zip@example.test", "password", "long enough", "name", "Zip"))
                    .body().path("token").asText();
            String ticketId = server.post("/api/tickets", token, Map.of("subject", "Compressed"))
                    .body().path("ticket").path("id").asText();
            JsSocket client = node.connect(server.baseUrl(), JsSocket.options().websocketOnly()
                    .auth(Map.of("token", token)));
            client.awaitConnected();
            client.emitWithAck("join_ticket", ticketId).get(30, SECONDS);
            String content = "compress me ".repeat(500);
            JsonNode sent = client.emitWithAck("send_message", Map.of("ticketId", ticketId, "content", content))
                    .get(30, SECONDS);

            assertThat(response.toLowerCase(Locale.ROOT)).contains("sec-websocket-extensions: permessage-deflate");
            assertThat(sent.get(0).path("ok").asBoolean()).isTrue();
            JsonNode received = client.awaitEvent("new_message", args -> true);
            assertThat(received.get(0).path("content").asText()).isEqualTo(content);
        }
    }

    /** Sends a WebSocket upgrade that offers per-message deflate and returns the response head. */
    private static String upgradeOfferingDeflate(int port) throws IOException {
        String request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readHead(socket.getInputStream());
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.write(next);
            matched = (next == '\r' || next == '\n') && "\r\n\r\n".charAt(matched) == next ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}

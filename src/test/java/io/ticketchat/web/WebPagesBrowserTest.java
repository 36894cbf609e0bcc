package io.ticketchat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.testsupport.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the web pages in Debian's Chromium through playwright-core ({@code src/test/node/web-pages-test.js}): a
 * customer and an agent in two browser contexts chat, type, read, change the ticket, and reconnect after the
 * server restarts on the same port and data folder. Screenshots go to {@code target/web-screenshots}.
 */
class WebPagesBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long SCENARIO_TIMEOUT_SECONDS = 90;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;

    private TestServer server;
    private Process browser;

    @AfterEach
    void stop() {
        if (browser != null && browser.isAlive()) {
            browser.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void customerAndAgentChatInBrowser() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("Chromium is missing at %s; install it with: apt-get install -y chromium", CHROMIUM)
                .isTrue();
        server = TestServer.start(dataDir, freePort());
        String adminToken = TestServer.token("admin-1", "admin", "Admin");
        TestServer.Response created = server.post("/api/users", adminToken, Map.of("email", "grace@example.test",
                "password", "grace-password", "name", "Grace", "role", "agent"));
        assertThat(created.status()).isEqualTo(201);
        Path screenshots = Files.createDirectories(Path.of("target", "web-screenshots"));

        List<String> steps = runScenario(List.of(server.baseUrl(), "grace@example.test", "grace-password",
                screenshots.toAbsolutePath().toString()));

        assertThat(steps).contains("markup shows as text", "pages reconnect after a restart",
                "reload shows the history");
        assertThat(screenshots.resolve("customer-phone.png")).exists();
    }

    /** Runs the Node scenario, restarts the server on its request, and returns the names of the passed steps. */
    private List<String> runScenario(List<String> arguments) throws Exception {
        Path nodeDir = Path.of(System.getProperty("ticketchat.node.dir", "src/test/node")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("node", "web-pages-test.js"));
        command.addAll(arguments);
        browser = new ProcessBuilder(command)
                .directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BlockingQueue<String> lines = readLines(browser);
        Writer stdin = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8);
        List<String> steps = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCENARIO_TIMEOUT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                fail("browser scenario timed out or ended without a result after steps " + steps);
            }
            JsonNode report = MAPPER.readTree(line);
            switch (report.path("type").asText()) {
                case "step" -> steps.add(report.path("name").asText());
                case "restart" -> {
                    restartServer();
                    stdin.write("restarted\n");
                    stdin.flush();
                }
                case "done" -> {
                    assertThat(browser.waitFor(10, TimeUnit.SECONDS)).as("browser script exits").isTrue();
                    assertThat(browser.exitValue()).isZero();
                    return steps;
                }
                case "fail" -> fail("browser step '" + report.path("step").asText() + "' failed after steps "
                        + steps + ":\n" + report.path("message").asText());
                default -> fail("unexpected line from the browser script: " + line);
            }
        }
    }

    /** Restarts on the same port and data folder, then stores a message while the pages are still reconnecting. */
    private void restartServer() throws Exception {
        server = server.restartOnSamePort();
        TestServer.Response login = server.post("/api/auth/login", null,
                Map.of("email", "grace@example.test", "password", "grace-password"));
        String agentToken = login.body().path("token").asText();
        JsonNode tickets = server.get("/api/tickets", agentToken).body().path("tickets");
        String ticketId = tickets.path(0).path("id").asText();
        TestServer.Response sent = server.post("/api/tickets/" + ticketId + "/messages", agentToken,
                Map.of("content", "Sent while the pages were offline"));
        assertThat(sent.status()).isEqualTo(201);
    }

    private static BlockingQueue<String> readLines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("{\"type\":\"fail\",\"step\":\"read\",\"message\":\"" + e.getClass().getSimpleName() + "\"}");
            }
        }, "browser-script-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

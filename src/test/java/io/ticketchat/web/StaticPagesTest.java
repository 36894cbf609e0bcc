package io.ticketchat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketchat.testsupport.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web pages served from the classpath: content types, cache headers, the CSP, and no way out of the web folder.
 * Requests go over a raw socket so that dot segments reach the server exactly as written.
 */
class StaticPagesTest {
    @TempDir
    Path dataDir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rootServesIndexWithoutCaching() throws Exception {
        String response = get("/");

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(header(response, "content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(header(response, "cache-control")).isEqualTo("no-cache");
        assertThat(header(response, "content-security-policy")).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        assertThat(header(response, "x-content-type-options")).isEqualTo("nosniff");
        assertThat(response).contains("<div id=\"app\">");
    }

    @Test
    void hashedAssetsAreCachedForAYear() throws Exception {
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(get("/"));
        assertThat(script.find()).as("index.html links a script under /assets/").isTrue();

        String response = get(script.group(1));

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(header(response, "content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(header(response, "cache-control")).isEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void matchingEtagAnswersNotModified() throws Exception {
        String etag = header(get("/"), "etag");

        String response = request("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 304");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets", "/assets/", "/web/index.html", "/../logback.xml", "/%2e%2e/logback.xml",
        "/assets/%2e%2e/%2e%2e/logback.xml", "/..%2fdb/migration/V1__create_schema.sql", "/.%2e/logback.xml",
        "/assets/..%5c..%5clogback.xml", "/index.html/", "/logback.xml", "/io/ticketchat/Main.class"})
    void pathOutsideWebFolderIsNotFound(String path) throws Exception {
        String response = get(path);

        assertThat(response).startsWith("HTTP/1.1 404");
        assertThat(header(response, "content-type")).startsWith("application/json");
    }

    @Test
    void apiRoutesStillRespond() throws Exception {
        assertThat(get("/health/live")).startsWith("HTTP/1.1 200");
        assertThat(get("/api/me")).startsWith("HTTP/1.1 401");
    }

    private String get(String path) throws IOException {
        return request("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private String request(String raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String header(String response, String name) {
        Matcher matcher = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(response);
        return matcher.find() ? matcher.group(1) : null;
    }
}

package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketchat.engineio.EngineIoOptions;
import io.ticketchat.engineio.EngineIoServer;
import io.ticketchat.engineio.EngineIoSession;
import io.ticketchat.http.HttpServer;
import java.time.Duration;
import java.util.List;

/**
 * A server on a free port for tests: Socket.IO at {@code /socket.io/} with the conformance echo handlers, and a bare
 * Engine.IO echo at {@code /engine.io/}.
 */
final class TestServer implements AutoCloseable {
    static final EngineIoOptions FAST = EngineIoOptions.defaults()
            .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200))
            .withConnectTimeout(Duration.ofSeconds(2));

    final SocketIoServer socketIo;
    final EngineIoServer echoEngine;
    final HttpServer http;

    private TestServer(EngineIoOptions options, boolean echoHandlers) throws InterruptedException {
        socketIo = new SocketIoServer(new ObjectMapper(), options);
        if (echoHandlers) {
            ConformanceServer.installEchoHandlers(socketIo);
        }
        echoEngine = new EngineIoServer(options, TestServer::echo);
        http = HttpServer.builder()
                .port(0)
                .eventLoopThreads(2)
                .mount("/engine.io/", echoEngine)
                .mount("/socket.io/", socketIo.engine())
                .build()
                .start();
    }

    static TestServer withEchoHandlers(EngineIoOptions options) throws InterruptedException {
        return new TestServer(options, true);
    }

    static TestServer bare(EngineIoOptions options) throws InterruptedException {
        return new TestServer(options, false);
    }

    String httpUrl(String path) {
        return "http://127.0.0.1:" + http.port() + path;
    }

    String wsUrl(String path) {
        return "ws://127.0.0.1:" + http.port() + path;
    }

    @Override
    public void close() {
        http.stop();
    }

    private static void echo(EngineIoSession session) {
        session.setHandler(new EngineIoSession.Handler() {
            @Override
            public void onText(String text) {
                session.send(List.of(text));
            }

            @Override
            public void onBinary(byte[] data) {
                session.send(List.of(data));
            }

            @Override
            public void onClose(String reason) {
            }
        });
    }
}

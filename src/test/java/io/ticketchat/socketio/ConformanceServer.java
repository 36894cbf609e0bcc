package io.ticketchat.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ticketchat.engineio.EngineIoOptions;
import io.ticketchat.engineio.EngineIoServer;
import io.ticketchat.engineio.EngineIoSession;
import io.ticketchat.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The server the official Engine.IO and Socket.IO protocol test suites expect: port 3000, ping interval 300 ms,
 * ping timeout 200 ms, maximum payload 1,000,000 bytes, connect timeout 1 s. Serves a bare Engine.IO echo endpoint
 * at {@code /engine.io/} and a Socket.IO one at {@code /socket.io/} with the namespaces {@code /} and
 * {@code /custom} and the echo handlers of the suites. Runs until the process is stopped.
 */
public final class ConformanceServer {
    static final EngineIoOptions OPTIONS = EngineIoOptions.defaults()
            .withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(200))
            .withMaxPayloadBytes(1_000_000)
            .withConnectTimeout(Duration.ofSeconds(1));

    private ConformanceServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        HttpServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        new CountDownLatch(1).await();
    }

    static HttpServer start(int port) throws InterruptedException {
        SocketIoServer socketIo = new SocketIoServer(new ObjectMapper(), OPTIONS);
        installEchoHandlers(socketIo);
        EngineIoServer engineIo = new EngineIoServer(OPTIONS, ConformanceServer::echo);
        return HttpServer.builder()
                .port(port)
                .corsOrigins(List.of("*"))
                .mount("/engine.io/", engineIo)
                .mount("/socket.io/", socketIo.engine())
                .build()
                .start();
    }

    static void installEchoHandlers(SocketIoServer server) {
        server.namespace("/").onConnection(socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (s, args, ack) -> s.emit("message-back", spread(args)));
            socket.on("message-with-ack", (s, args, ack) -> {
                if (ack != null) {
                    ack.send(spread(args));
                }
            });
        });
        server.namespace("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
    }

    static Object[] spread(ArrayNode args) {
        Object[] values = new Object[args.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode arg = args.get(i);
            values[i] = arg;
        }
        return values;
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

package io.ticketchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Socket.IO connection of the bench client. Touched by its event loop thread for frames and by the
 * bench threads for emits; the pending-ack map is concurrent for that reason. An ack that never comes is
 * failed by its timeout, and closing the connection fails every pending ack, so nothing waits forever.
 */
final class BenchConnection {
    private final String token;
    private final Consumer<String> onFrame;
    private final CompletableFuture<BenchConnection> connected = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<JsonNode>> pendingAcks = new ConcurrentHashMap<>();
    private final AtomicLong nextAckId = new AtomicLong();
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile String joinedTicketId;

    BenchConnection(String token, Consumer<String> onFrame) {
        this.token = token;
        this.onFrame = onFrame;
    }

    CompletableFuture<BenchConnection> connected() {
        return connected;
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return !closed && channel != null && channel.isActive();
    }

    String joinedTicketId() {
        return joinedTicketId;
    }

    void joined(String ticketId) {
        this.joinedTicketId = ticketId;
    }

    void attach(Channel webSocket) {
        this.channel = webSocket;
    }

    /** Emits {@code name} with {@code payload} and completes with the ack's first argument. */
    CompletableFuture<JsonNode> emitWithAck(String name, JsonNode payload, long timeoutMillis) {
        CompletableFuture<JsonNode> ack = new CompletableFuture<>();
        Channel current = channel;
        if (closed || current == null) {
            ack.completeExceptionally(new IllegalStateException("connection closed"));
            return ack;
        }
        long id = nextAckId.getAndIncrement();
        pendingAcks.put(id, ack);
        ack.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((r, e) -> pendingAcks.remove(id));
        current.writeAndFlush(new TextWebSocketFrame(BenchPacketCodec.event(id, name, payload)));
        return ack;
    }

    /** Closes the WebSocket; pending acks fail. */
    void close() {
        Channel current = channel;
        if (current != null) {
            current.close();
        }
    }

    void onText(String frame) {
        char engineType = frame.isEmpty() ? ' ' : frame.charAt(0);
        if (engineType == BenchPacketCodec.ENGINE_PING) {
            channel.writeAndFlush(new TextWebSocketFrame(BenchPacketCodec.pong()));
            return;
        }
        if (engineType == BenchPacketCodec.ENGINE_OPEN) {
            channel.writeAndFlush(new TextWebSocketFrame(BenchPacketCodec.connect(token)));
            return;
        }
        if (frame.startsWith("42")) {
            onFrame.accept(frame);
            return;
        }
        onControl(BenchPacketCodec.decode(frame));
    }

    private void onControl(BenchPacketCodec.Packet packet) {
        if (packet.engineType() != BenchPacketCodec.ENGINE_MESSAGE) {
            return;
        }
        switch (packet.socketType()) {
            case BenchPacketCodec.SOCKET_CONNECT -> connected.complete(this);
            case BenchPacketCodec.SOCKET_CONNECT_ERROR -> connected.completeExceptionally(
                    new IllegalStateException("connect_error " + packet.data()));
            case BenchPacketCodec.SOCKET_ACK -> {
                CompletableFuture<JsonNode> ack = pendingAcks.remove(packet.ackId());
                if (ack != null) {
                    JsonNode args = packet.data();
                    ack.complete(args != null && args.size() > 0 ? args.get(0) : null);
                }
            }
            default -> {
            }
        }
    }

    void onClosed() {
        closed = true;
        connected.completeExceptionally(new IllegalStateException("closed before CONNECT"));
        IllegalStateException error = new IllegalStateException("connection closed");
        pendingAcks.values().forEach(ack -> ack.completeExceptionally(error));
        pendingAcks.clear();
    }
}

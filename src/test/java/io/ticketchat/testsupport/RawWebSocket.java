package io.ticketchat.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client for protocol tests: sends text and binary frames as given and queues every received
 * message (a String or a byte array) for {@link #next()}. Completes {@link #closed()} when the server closes.
 */
public final class RawWebSocket implements WebSocket.Listener {
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final boolean reading;
    private ByteBuffer binary = ByteBuffer.allocate(0);
    private WebSocket socket;

    private RawWebSocket(boolean reading) {
        this.reading = reading;
    }

    public static RawWebSocket open(HttpClient client, String url) {
        return open(client, url, true);
    }

    /** Opens a client that sends but never reads, so the server's writes pile up as for a stalled client. */
    public static RawWebSocket openNotReading(HttpClient client, String url) {
        return open(client, url, false);
    }

    private static RawWebSocket open(HttpClient client, String url, boolean reading) {
        RawWebSocket listener = new RawWebSocket(reading);
        listener.socket = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), listener)
                .join();
        return listener;
    }

    public void send(String message) {
        socket.sendText(message, true).join();
    }

    public void send(byte[] message) {
        socket.sendBinary(ByteBuffer.wrap(message), true).join();
    }

    /** Sends one text message as several WebSocket frames, one for each part. */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    /** Returns the next message, skipping Engine.IO pings when asked, or fails after 5 s. */
    public Object next() throws InterruptedException {
        Object message = messages.poll(5, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no WebSocket message within 5 s");
        }
        return message;
    }

    public String nextText() throws InterruptedException {
        return (String) next();
    }

    /** Returns the next message that is not an Engine.IO ping. */
    public Object nextNonPing() throws InterruptedException {
        Object message;
        do {
            message = next();
        } while ("2".equals(message));
        return message;
    }

    public CompletableFuture<Integer> closed() {
        return closed;
    }

    public void close() {
        socket.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
        joined.put(binary).put(data).flip();
        binary = joined;
        if (last) {
            byte[] bytes = new byte[binary.remaining()];
            binary.get(bytes);
            messages.add(bytes);
            binary = ByteBuffer.allocate(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }
}

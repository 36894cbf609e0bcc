package io.ticketchat.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads a WebSocket session one socket read at a time, as a client built on the {@code ws} package does, and
 * checks that the CONNECT reply never shares a read with the event the connection listener sends.
 */
class ConnectReplyReadTest {
    private TestServer server;
    private Socket tcp;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.withEchoHandlers(
                TestServer.FAST.withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        tcp = new Socket("127.0.0.1", server.http.port());
        tcp.setSoTimeout(5_000);
        tcp.setTcpNoDelay(true);
    }

    @AfterEach
    void stop() throws IOException {
        tcp.close();
        server.close();
    }

    @Test
    void connectReplyArrivesInItsOwnRead() throws Exception {
        openWebSocket();
        assertThat(readFrames()).first().asString().startsWith("0{");

        sendText("40");
        List<String> firstRead = readFrames();
        long firstReadNanos = System.nanoTime();
        List<String> secondRead = readFrames();
        long gapNanos = System.nanoTime() - firstReadNanos;

        assertThat(firstRead).hasSize(1);
        assertThat(firstRead.get(0)).startsWith("40{\"sid\":");
        assertThat(secondRead).containsExactly("42[\"auth\",{}]");
        assertThat(gapNanos).isGreaterThanOrEqualTo(SocketIoClient.CONNECT_REPLY_GAP.toNanos() / 2);
    }

    private void openWebSocket() throws IOException {
        String request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        tcp.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        byte[] headerEnd = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (indexOf(pending.toByteArray(), headerEnd) < 0) {
            readOnce();
        }
        byte[] received = pending.toByteArray();
        int bodyStart = indexOf(received, headerEnd) + headerEnd.length;
        assertThat(new String(received, 0, bodyStart, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
        pending.reset();
        pending.write(received, bodyStart, received.length - bodyStart);
    }

    /** Reads until at least one whole frame is buffered and returns every whole frame of that read. */
    private List<String> readFrames() throws IOException {
        List<String> frames = takeFrames();
        while (frames.isEmpty()) {
            readOnce();
            frames = takeFrames();
        }
        return frames;
    }

    private void readOnce() throws IOException {
        byte[] buffer = new byte[65_536];
        int count = tcp.getInputStream().read(buffer);
        if (count < 0) {
            throw new IOException("connection closed by the server");
        }
        pending.write(buffer, 0, count);
    }

    /** Removes the unmasked text frames shorter than 64 KiB at the head of the buffer. */
    private List<String> takeFrames() {
        byte[] data = pending.toByteArray();
        List<String> frames = new ArrayList<>();
        int offset = 0;
        while (offset + 2 <= data.length) {
            int length = data[offset + 1] & 0x7f;
            int header = 2;
            if (length == 126) {
                if (offset + 4 > data.length) {
                    break;
                }
                length = (data[offset + 2] & 0xff) << 8 | data[offset + 3] & 0xff;
                header = 4;
            }
            if (offset + header + length > data.length) {
                break;
            }
            frames.add(new String(data, offset + header, length, StandardCharsets.UTF_8));
            offset += header + length;
        }
        pending.reset();
        pending.write(data, offset, data.length - offset);
        return frames;
    }

    private void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        OutputStream out = tcp.getOutputStream();
        out.write(frame);
        out.flush();
    }

    private static int indexOf(byte[] data, byte[] target) {
        for (int i = 0; i + target.length <= data.length; i++) {
            int j = 0;
            while (j < target.length && data[i + j] == target[j]) {
                j++;
            }
            if (j == target.length) {
                return i;
            }
        }
        return -1;
    }
}

package io.ticketchat.engineio;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 session: its transport (HTTP long-polling or WebSocket), the upgrade between them, the server's
 * heartbeat and the queue of packets waiting for the next poll.
 *
 * <p>Owner and thread: the session is pinned to the event loop of the connection that opened it, and every field
 * is read and written on that loop only. Requests and frames arriving on other loops hop to it; the public methods
 * may be called from any thread.
 *
 * <p>Bounds: the polling queue contains at most {@link EngineIoOptions#maxQueuedBytes()} bytes, and a WebSocket at
 * most the channel's high water mark (set to the same bound by the HTTP server); past either the session closes
 * and the queued bytes are dropped.
 * At most one poll request and one upgrading WebSocket are held. There is one heartbeat deadline (an entry in the
 * event loop's {@link HeartbeatQueue}), one upgrade timer and one close timer at a time.
 *
 * <p>Release: every kind of close goes through {@link #release}, which cancels the timers, leaves the heartbeat
 * queue, removes the session from its server's map, closes the WebSocket or completes the held poll request, and
 * drops the handler.
 */
public final class EngineIoSession {
    /**
     * Receives what a session delivers, always on the session's event loop. {@link #onClose} runs exactly once,
     * with one of the reasons the reference server uses: {@code transport close}, {@code transport error},
     * {@code ping timeout}, {@code parse error} or {@code forced server close}.
     */
    public interface Handler {
        void onText(String text);

        void onBinary(byte[] data);

        void onClose(String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(EngineIoSession.class);
    private static final Handler DETACHED = new Handler() {
        @Override
        public void onText(String text) {
        }

        @Override
        public void onBinary(byte[] data) {
        }

        @Override
        public void onClose(String reason) {
        }
    };

    private static final AtomicIntegerFieldUpdater<EngineIoSession> QUEUED_SENDS =
            AtomicIntegerFieldUpdater.newUpdater(EngineIoSession.class, "queuedSends");

    private enum State { OPEN, CLOSING, CLOSED }

    /** Values of {@link #heartbeatList}: which list of the {@link HeartbeatQueue} the session is in. */
    static final byte NO_HEARTBEAT = 0;
    static final byte AWAITING_PING = 1;
    static final byte AWAITING_PONG = 2;

    private final String id;
    private final EngineIoServer server;
    private final EngineIoOptions options;
    private final EventLoop eventLoop;
    private final HeartbeatQueue heartbeats;
    /** Replaced once by {@link #releaseHeaders}, from any thread. */
    private volatile HandshakeRequest request;
    /** Sends from other threads still waiting in the event loop's queue; see {@link #send}. */
    private volatile int queuedSends;

    private Handler handler = DETACHED;
    private State state = State.OPEN;
    private Channel webSocket;

    private ArrayDeque<Object> pollQueue;
    private int queuedBytes;
    private ChannelHandlerContext pendingPoll;
    private boolean pendingPollKeepAlive;
    private ChannelFutureListener pendingPollCloseListener;

    private Channel upgradeCandidate;
    private boolean upgradeProbed;
    private ScheduledFuture<?> upgradeTimer;

    /** Links and list of the event loop's {@link HeartbeatQueue}, changed by the queue only. */
    EngineIoSession heartbeatPrevious;
    EngineIoSession heartbeatNext;
    byte heartbeatList;
    private boolean awaitingPong;
    /** System.nanoTime() at which the current ping is due. The session expires a ping timeout after it. */
    private long pingDueNanos;
    private ScheduledFuture<?> closeTimer;

    EngineIoSession(String id, EngineIoServer server, EventLoop eventLoop, HandshakeRequest request) {
        this.id = id;
        this.server = server;
        this.options = server.options();
        this.eventLoop = eventLoop;
        this.heartbeats = server.heartbeatQueue(eventLoop);
        this.request = request;
    }

    public String id() {
        return id;
    }

    public EventLoop eventLoop() {
        return eventLoop;
    }

    /** Returns {@code websocket} or {@code polling}; called off the session's event loop it may lag an upgrade. */
    public String transportName() {
        return webSocket != null ? "websocket" : "polling";
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Returns a query parameter of the request that opened the session, or null. */
    public String queryParam(String name) {
        return request.queryParam(name);
    }

    /** Returns a header of the opening request, or null when it is absent or after {@link #releaseHeaders}. */
    public String header(String name) {
        return request.header(name);
    }

    /**
     * Drops the headers of the opening request and keeps its query parameters and remote address. Without this an
     * idle session would keep every header string, although the application reads them only while a socket connects.
     */
    public void releaseHeaders() {
        request = request.withoutHeaders();
    }

    public SocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    /** Sets the receiver of this session's messages; call it on the session's event loop. */
    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /**
     * Sends messages in order and without other messages between them: each element is a String or a
     * {@link SharedText} (a text message) or a byte array (a binary message). Safe from any thread. Ignored once
     * the session is closing.
     */
    public void send(List<?> messages) {
        // A send from the event loop goes out at once only when no send from another thread is still queued.
        // So messages leave in the order send was called, even when callers on several threads take turns
        // under their own lock, as presence updates from the timer thread and an event loop do.
        if (eventLoop.inEventLoop() && queuedSends == 0) {
            sendNow(messages);
            return;
        }
        QUEUED_SENDS.incrementAndGet(this);
        eventLoop.execute(() -> {
            QUEUED_SENDS.decrementAndGet(this);
            sendNow(messages);
        });
    }

    /**
     * Closes the session from the server side. Messages already queued for a poll are still delivered to the next
     * poll request, within one heartbeat period. Safe from any thread.
     */
    public void close() {
        if (eventLoop.inEventLoop()) {
            closeByServer();
        } else {
            eventLoop.execute(this::closeByServer);
        }
    }

    void startPolling(ChannelHandlerContext ctx, boolean keepAlive) {
        schedulePing();
        server.transportOpened("polling");
        PollingResponses.sendText(ctx, keepAlive, openPacket(List.of("websocket")));
        log.debug("session opened sid={} transport=polling", id);
        server.listener().onOpen(this);
    }

    void startWebSocket(Channel channel) {
        schedulePing();
        webSocket = channel;
        server.transportOpened("websocket");
        channel.writeAndFlush(new TextWebSocketFrame(openPacket(List.of())));
        log.debug("session opened sid={} transport=websocket", id);
        server.listener().onOpen(this);
    }

    private String openPacket(List<String> upgrades) {
        StringBuilder json = new StringBuilder(160).append("0{\"sid\":\"").append(id).append("\",\"upgrades\":[");
        for (int i = 0; i < upgrades.size(); i++) {
            json.append(i == 0 ? "\"" : ",\"").append(upgrades.get(i)).append('"');
        }
        return json.append("],\"pingInterval\":").append(options.pingInterval().toMillis())
                .append(",\"pingTimeout\":").append(options.pingTimeout().toMillis())
                .append(",\"maxPayload\":").append(options.maxPayloadBytes())
                .append('}')
                .toString();
    }

    // ---- polling requests, called on the session's event loop

    void handlePoll(ChannelHandlerContext ctx, boolean keepAlive) {
        if (state == State.OPEN && webSocket == null && upgradeCandidate != null) {
            afterCandidateInput(() -> answerPollRequest(ctx, keepAlive));
        } else {
            answerPollRequest(ctx, keepAlive);
        }
    }

    private void answerPollRequest(ChannelHandlerContext ctx, boolean keepAlive) {
        log.trace("poll received sid={} state={}", id, state);
        closeIfPingTimedOut();
        if (state == State.CLOSED && server.takeClosedPoll(id)) {
            PollingResponses.sendText(ctx, keepAlive, EngineIoCodec.encodeText(EnginePacket.NOOP));
            return;
        }
        if (state == State.CLOSED || webSocket != null) {
            PollingResponses.sendError(ctx, keepAlive, EngineIoError.BAD_REQUEST);
            return;
        }
        if (pendingPoll != null) {
            log.debug("duplicate poll request sid={}", id);
            PollingResponses.sendError(ctx, keepAlive, EngineIoError.BAD_REQUEST);
            release("transport error", false);
            return;
        }
        if (state == State.CLOSING) {
            // The queued packets and the CLOSE go in separate responses: the official JavaScript client handles
            // a CLOSE at once but defers Socket.IO packets, so in one payload the DISCONNECT would arrive too late.
            if (hasQueuedPackets()) {
                PollingResponses.sendText(ctx, keepAlive, drainPollQueue());
            } else {
                PollingResponses.sendText(ctx, keepAlive, EngineIoCodec.encodeText(EnginePacket.CLOSE));
                release("forced server close", false);
            }
            return;
        }

        parkPoll(ctx, keepAlive);
        if (hasQueuedPackets()) {
            answerPoll(drainPollQueue());
        } else if (upgradeProbed) {
            answerPoll(EngineIoCodec.encodeText(EnginePacket.NOOP));
        }
    }

    void handlePost(ChannelHandlerContext ctx, String body, boolean keepAlive) {
        closeIfPingTimedOut();
        if (state == State.CLOSING) {
            PollingResponses.sendOk(ctx, keepAlive);
            if (body.startsWith("1") || body.contains(EngineIoCodec.SEPARATOR + "1")) {
                release("forced server close", false);
            }
            return;
        }
        if (state != State.OPEN || webSocket != null) {
            PollingResponses.sendError(ctx, keepAlive, EngineIoError.BAD_REQUEST);
            return;
        }
        List<EnginePacket> packets;
        try {
            packets = EngineIoCodec.decodePayload(body);
        } catch (IllegalArgumentException e) {
            log.debug("invalid polling payload sid={} bytes={}", id, body.length());
            PollingResponses.sendError(ctx, keepAlive, EngineIoError.BAD_REQUEST);
            release("parse error", false);
            return;
        }

        PollingResponses.sendOk(ctx, keepAlive);
        for (EnginePacket packet : packets) {
            if (state != State.OPEN) {
                break;
            }
            onPacket(packet);
        }
    }

    /** Closes the session because the client sent more than {@link EngineIoOptions#maxPayloadBytes()}. */
    void rejectOversizedPayload() {
        runOnLoop(() -> release("transport error", false));
    }

    private void parkPoll(ChannelHandlerContext ctx, boolean keepAlive) {
        pendingPoll = ctx;
        pendingPollKeepAlive = keepAlive;
        pendingPollCloseListener = future -> {
            if (pendingPoll != null && pendingPoll.channel() == future.channel()) {
                pendingPoll = null;
                release("transport close", false);
            }
        };
        ctx.channel().closeFuture().addListener(pendingPollCloseListener);
    }

    private void answerPoll(String body) {
        ChannelHandlerContext ctx = pendingPoll;
        ctx.channel().closeFuture().removeListener(pendingPollCloseListener);
        pendingPoll = null;
        pendingPollCloseListener = null;
        log.trace("poll response sent sid={} chars={}", id, body.length());
        PollingResponses.sendText(ctx, pendingPollKeepAlive, body);
    }

    private boolean hasQueuedPackets() {
        return pollQueue != null && !pollQueue.isEmpty();
    }

    private String drainPollQueue() {
        StringBuilder payload = new StringBuilder(queuedBytes + pollQueue.size());
        for (Object packet : pollQueue) {
            if (payload.length() > 0) {
                payload.append(EngineIoCodec.SEPARATOR);
            }
            if (packet instanceof byte[] bytes) {
                payload.append(EngineIoCodec.encodeForPayload(EnginePacket.message(bytes)));
            } else {
                payload.append((String) packet);
            }
        }
        pollQueue = null;
        clearQueuedBytes();
        return payload.toString();
    }

    // ---- WebSocket frames, possibly called from the WebSocket's own event loop

    void attachUpgradeCandidate(Channel channel) {
        runOnLoop(() -> {
            if (state == State.OPEN && webSocket == null && upgradeCandidate != null) {
                log.debug("upgrade rejected sid={} reason=upgrading", id);
                afterCandidateInput(channel::close);
                return;
            }
            if (state != State.OPEN || webSocket != null) {
                log.debug("upgrade rejected sid={} reason=closed or upgraded", id);
                channel.close();
                return;
            }
            upgradeCandidate = channel;
            upgradeTimer = eventLoop.schedule(
                    this::onUpgradeTimeout, options.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    void onWebSocketText(Channel channel, String text) {
        runOnLoop(() -> {
            closeIfPingTimedOut();
            if (channel == upgradeCandidate) {
                onUpgradePacket(text);
            } else if (channel == webSocket && state == State.OPEN) {
                onWebSocketPacket(text);
            }
        });
    }

    void onWebSocketBinary(Channel channel, byte[] data) {
        runOnLoop(() -> {
            closeIfPingTimedOut();
            if (channel == webSocket && state == State.OPEN) {
                log.trace("packet received sid={} type=binary bytes={}", id, data.length);
                deliverBinary(data);
            } else if (channel == upgradeCandidate) {
                abortUpgrade();
            }
        });
    }

    /** Counts a WebSocket message over the maximum payload; the decoder closes the channel, which releases it. */
    void onWebSocketMessageTooLarge() {
        server.reportLimit(TransportLimit.PAYLOAD_SIZE, "websocket");
    }

    void onWebSocketClosed(Channel channel) {
        runOnLoop(() -> {
            if (channel == upgradeCandidate) {
                abortUpgrade();
            } else if (channel == webSocket) {
                release("transport close", false);
            }
        });
    }

    private void onWebSocketPacket(String text) {
        EnginePacket packet;
        try {
            packet = EngineIoCodec.decodeText(text);
        } catch (IllegalArgumentException e) {
            log.debug("invalid packet sid={} bytes={}", id, text.length());
            release("parse error", false);
            return;
        }
        onPacket(packet);
    }

    private void onUpgradePacket(String text) {
        if ("2probe".equals(text) && !upgradeProbed) {
            upgradeProbed = true;
            upgradeCandidate.writeAndFlush(new TextWebSocketFrame("3probe"));
            if (pendingPoll != null) {
                answerPoll(hasQueuedPackets() ? drainPollQueue() : EngineIoCodec.encodeText(EnginePacket.NOOP));
            }
        } else if ("5".equals(text) && upgradeProbed) {
            completeUpgrade();
        } else {
            log.debug("unexpected packet during upgrade sid={}", id);
            abortUpgrade();
        }
    }

    private void completeUpgrade() {
        cancel(upgradeTimer);
        upgradeTimer = null;
        webSocket = upgradeCandidate;
        upgradeCandidate = null;
        upgradeProbed = false;
        server.transportClosed("polling");
        server.transportOpened("websocket");
        if (pendingPoll != null) {
            answerPoll(EngineIoCodec.encodeText(EnginePacket.NOOP));
        }
        log.debug("session upgraded sid={} transport=websocket", id);

        if (hasQueuedPackets()) {
            ArrayDeque<Object> queued = pollQueue;
            pollQueue = null;
            clearQueuedBytes();
            for (Object packet : queued) {
                webSocket.write(toFrame(packet));
            }
            webSocket.flush();
        }
    }

    private void onUpgradeTimeout() {
        upgradeTimer = null;
        if (upgradeCandidate != null) {
            server.reportLimit(TransportLimit.HANDSHAKE_TIMEOUT, "websocket");
            abortUpgrade();
        }
    }

    private void abortUpgrade() {
        if (upgradeCandidate == null) {
            return;
        }
        log.debug("upgrade aborted sid={}", id);
        cancel(upgradeTimer);
        upgradeTimer = null;
        Channel candidate = upgradeCandidate;
        upgradeCandidate = null;
        upgradeProbed = false;
        candidate.close();
    }

    // ---- packets and heartbeat

    private void onPacket(EnginePacket packet) {
        log.trace("packet received sid={} type={}", id, packet.type());
        switch (packet.type()) {
            case MESSAGE -> {
                if (packet.data() instanceof byte[] bytes) {
                    deliverBinary(bytes);
                } else {
                    deliverText(packet.data() == null ? "" : (String) packet.data());
                }
            }
            case PONG -> onPong();
            case PING -> sendPacket(packet.data() == null ? "3" : "3" + packet.data());
            case CLOSE -> release("transport close", true);
            case NOOP -> {
            }
            default -> {
                log.debug("unexpected packet sid={} type={}", id, packet.type());
                release("parse error", false);
            }
        }
    }

    private void deliverText(String text) {
        try {
            handler.onText(text);
        } catch (RuntimeException e) {
            log.warn("message handler failed sid={}", id, e);
        }
    }

    private void deliverBinary(byte[] data) {
        try {
            handler.onBinary(data);
        } catch (RuntimeException e) {
            log.warn("message handler failed sid={}", id, e);
        }
    }

    private void schedulePing() {
        pingDueNanos = System.nanoTime() + options.pingInterval().toNanos();
        heartbeats.awaitPing(this);
    }

    /** Returns the maximum size of a message from the client, in bytes. */
    int maxPayloadBytes() {
        return options.maxPayloadBytes();
    }

    /** Returns the {@link System#nanoTime()} at which the current ping is due. */
    long pingDueNanos() {
        return pingDueNanos;
    }

    /** Sends the ping that is due. The heartbeat queue calls it after taking the session out of its list. */
    void onPingDue() {
        if (state != State.OPEN || closeIfPingTimedOut()) {
            return;
        }
        awaitingPong = true;
        sendPacket(EngineIoCodec.encodeText(EnginePacket.PING));
        // The pong deadline counts from when the ping was due, not from when it went out: a heartbeat that runs
        // late must not give the client more than the ping interval plus the ping timeout it learnt at the handshake.
        if (state == State.OPEN) {
            heartbeats.awaitPong(this);
        }
    }

    /** Closes the session unless its pong arrived. The heartbeat queue calls it at the pong deadline. */
    void onPongDeadline() {
        closeIfPingTimedOut();
    }

    /**
     * Closes the session with {@code ping timeout} when no pong came within the ping timeout after the ping was due,
     * and returns whether it did. Requests and frames call it too, so a heartbeat timer that runs late, on a busy event
     * loop, cannot keep a dead session open. The deadline also passes when the ping itself was sent late, which
     * takes an event loop stalled for longer than the ping timeout.
     */
    private boolean closeIfPingTimedOut() {
        if (state != State.OPEN || System.nanoTime() - (pingDueNanos + options.pingTimeout().toNanos()) < 0) {
            return false;
        }
        release("ping timeout", false);
        return true;
    }

    private void onPong() {
        if (!awaitingPong) {
            return;
        }
        awaitingPong = false;
        schedulePing();
    }

    // ---- outbound

    private void sendNow(List<?> messages) {
        if (state != State.OPEN) {
            return;
        }
        if (webSocket != null) {
            writeToWebSocket(messages);
            return;
        }
        for (Object message : messages) {
            enqueue(message instanceof byte[] ? message : PacketType.MESSAGE.wireChar() + textOf(message));
        }
        if (queuedBytes > options.maxQueuedBytes()) {
            log.debug("polling queue full sid={} bytes={}", id, queuedBytes);
            server.reportLimit(TransportLimit.OUTBOUND_QUEUE, "polling");
            release("transport error", false);
            return;
        }
        if (pendingPoll != null) {
            answerPoll(drainPollQueue());
        }
    }

    private void writeToWebSocket(List<?> messages) {
        if (!webSocket.isWritable()) {
            log.debug("websocket outbound buffer full sid={} bytes={}", id, webSocketPendingBytes());
            server.reportLimit(TransportLimit.OUTBOUND_QUEUE, "websocket");
            release("transport error", false);
            return;
        }
        for (Object message : messages) {
            Object frame;
            if (message instanceof byte[] bytes) {
                frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
            } else if (message instanceof SharedText shared) {
                frame = new TextWebSocketFrame(shared.webSocketPayload());
            } else {
                frame = new TextWebSocketFrame(PacketType.MESSAGE.wireChar() + (String) message);
            }
            webSocket.write(frame);
        }
        webSocket.flush();
    }

    /** Sends one control packet, already encoded as text, on the current transport. */
    private void sendPacket(String encoded) {
        if (webSocket != null) {
            webSocket.writeAndFlush(new TextWebSocketFrame(encoded));
            return;
        }
        enqueue(encoded);
        if (pendingPoll != null) {
            answerPoll(drainPollQueue());
        }
    }

    private void enqueue(Object packet) {
        if (pollQueue == null) {
            pollQueue = new ArrayDeque<>(4);
        }
        if (packet instanceof EnginePacket enginePacket) {
            packet = EngineIoCodec.encodeText(enginePacket);
        }
        pollQueue.add(packet);
        int bytes = packet instanceof byte[] binary
                ? (binary.length + 2) / 3 * 4 + 1
                : ((String) packet).getBytes(StandardCharsets.UTF_8).length;
        queuedBytes += bytes;
        server.addPollingQueuedBytes(bytes);
    }

    private void clearQueuedBytes() {
        server.addPollingQueuedBytes(-queuedBytes);
        queuedBytes = 0;
    }

    /**
     * Returns the bytes written to this session's WebSocket and not yet taken by the kernel, 0 on polling. Safe from
     * any thread, for gauges: read off the event loop it may lag by a write.
     */
    long webSocketPendingBytes() {
        Channel channel = webSocket;
        ChannelOutboundBuffer buffer = channel == null ? null : channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    private static String textOf(Object message) {
        return message instanceof SharedText shared ? shared.text() : (String) message;
    }

    private static Object toFrame(Object packet) {
        return packet instanceof byte[] bytes
                ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))
                : new TextWebSocketFrame((String) packet);
    }

    // ---- state audit, on the session's event loop

    /**
     * Returns why the session is stale, or null: it is still in its server's map although it was released, or
     * it has no open transport connection and no heartbeat or close timer left that would release it.
     */
    String staleReason() {
        if (state == State.CLOSED) {
            return "released but still registered";
        }
        boolean deadlinePending = state == State.CLOSING
                ? closeTimer != null && !closeTimer.isDone()
                : heartbeatList != NO_HEARTBEAT;
        if (deadlinePending) {
            return null;
        }
        boolean transportOpen = webSocket != null
                ? webSocket.isActive()
                : pendingPoll != null && pendingPoll.channel().isActive();
        return transportOpen ? null : "no open transport and no heartbeat deadline";
    }

    /** Releases the session if {@link #staleReason} still finds it stale; returns whether it did. */
    boolean releaseIfStale() {
        if (staleReason() == null) {
            return false;
        }
        if (state == State.CLOSED) {
            server.remove(this);
        } else {
            release("ping timeout", false);
        }
        return true;
    }

    /** Cancels the heartbeat without releasing anything, as a lost timer would; for tests of the audit. */
    void dropHeartbeatForTest() {
        heartbeats.remove(this);
    }

    @Override
    public String toString() {
        return "EngineIoSession[sid=" + id + "]";
    }

    // ---- close

    private void closeByServer() {
        if (state != State.OPEN) {
            return;
        }
        if (webSocket == null && pendingPoll == null && hasQueuedPackets()) {
            // The queued packets (often a DISCONNECT) only reach the client with its next poll, so the session
            // stays in the map until then, bounded by one heartbeat period.
            state = State.CLOSING;
            cancelTimers();
            abortUpgrade();
            notifyClosed("forced server close");
            long waitMillis = options.pingInterval().plus(options.pingTimeout()).toMillis();
            closeTimer = eventLoop.schedule(
                    () -> release("forced server close", false), waitMillis, TimeUnit.MILLISECONDS);
            return;
        }
        release("forced server close", false);
    }

    /**
     * Releases everything the session owns. A held poll gets a NOOP response when the client closed the session,
     * and the queued packets with a CLOSE packet otherwise.
     */
    private void release(String reason, boolean closedByClient) {
        if (state == State.CLOSED) {
            return;
        }
        State previous = state;
        state = State.CLOSED;
        cancelTimers();
        cancel(closeTimer);
        closeTimer = null;
        if (closedByClient && webSocket == null && pendingPoll == null) {
            server.rememberClosedPoll(this);
        }
        server.remove(this);
        server.transportClosed(transportName());
        abortUpgrade();

        if (webSocket != null) {
            closeWebSocket(reason);
        } else if (pendingPoll != null) {
            if (closedByClient) {
                answerPoll(EngineIoCodec.encodeText(EnginePacket.NOOP));
            } else {
                enqueue(EnginePacket.CLOSE);
                answerPoll(drainPollQueue());
            }
        }
        pollQueue = null;
        clearQueuedBytes();

        log.debug("session closed sid={} reason={}", id, reason);
        if (previous == State.OPEN) {
            notifyClosed(reason);
        }
        handler = DETACHED;
    }

    private void closeWebSocket(String reason) {
        if (!webSocket.isWritable()) {
            // A close frame would wait behind the bytes the client is not reading, and the channel would keep
            // them. Closing at once drops the pending writes and releases their buffers.
            webSocket.close();
        } else if ("forced server close".equals(reason) && webSocket.isActive()) {
            webSocket.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if ("parse error".equals(reason) || "transport error".equals(reason)) {
            webSocket.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            webSocket.close();
        }
    }

    private void notifyClosed(String reason) {
        Handler current = handler;
        handler = DETACHED;
        try {
            current.onClose(reason);
        } catch (RuntimeException e) {
            log.warn("close handler failed sid={}", id, e);
        }
    }

    private void cancelTimers() {
        heartbeats.remove(this);
        cancel(upgradeTimer);
        upgradeTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * Runs the task on the session's event loop after the upgrading WebSocket's event loop has read what had reached
     * its socket by now. A client sends its upgrade frames before its next HTTP request, but the two connections can
     * sit on different event loops, and without this wait the request could be handled first, as if the upgrade had
     * not begun. Relies on Netty's event loop running a task scheduled from inside the loop only
     * after its next pass over ready sockets (true of Netty 4.2's SingleThreadIoEventLoop).
     */
    private void afterCandidateInput(Runnable task) {
        EventLoop candidateLoop = upgradeCandidate.eventLoop();
        candidateLoop.execute(() -> candidateLoop.schedule(() -> runOnLoop(task), 0, TimeUnit.NANOSECONDS));
    }

    private void runOnLoop(Runnable task) {
        if (eventLoop.inEventLoop()) {
            task.run();
        } else {
            eventLoop.execute(task);
        }
    }
}

package io.ticketchat.chat;

import io.ticketchat.concurrent.TimerService;
import io.ticketchat.concurrent.TimerService.Timer;
import io.ticketchat.socketio.SocketIoSocket;
import io.ticketchat.user.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's state for one authenticated Socket.IO connection: who it is, which tickets it joined,
 * in which of them it is typing, its event rate limit, and its timers.
 *
 * <p>Owner: the Socket.IO socket, which holds this object as its attachment from the accepted handshake
 * until it disconnects. Bound: at most {@code maxJoinedTickets} joined tickets, one typing timer per joined
 * ticket, one entry in the gateway's {@link TokenExpiryWheel}. Threads: the socket's event loop, the database
 * executor and the timer thread, so the ticket and typing methods are synchronized. The other fields name their own
 * guard: the rate counters belong to the event loop, the wheel links to the wheel's lock, and the user and socket
 * are volatile. Release: {@link #close()} on disconnect cancels every typing timer, empties the sets and makes later
 * joins no-ops, so a join whose database check finishes after the client left leaves nothing behind. The gateway
 * then takes the connection out of the expiry wheel. The connection owns its timers, so the state audit cancels any
 * of them still pending after {@link #close()}, and removes the connection from the wheel.
 */
final class ClientConnection implements TimerService.Owner {
    /** The number in {@link #id()}. The id string is made when asked for, as an idle connection never needs it. */
    private final long number;
    /** Replaced on connect by an equal object that the user's other connections share ({@link #shareUser}). */
    private volatile User user;
    /** {@link System#nanoTime()} at which the token expires. */
    private final long tokenDeadlineNanos;
    /** Counters of the {@link EventRateLimiter}, set in the constructor, then used on the event loop only. */
    double rateTokens;
    long rateRefilledAtNanos;
    long rateRejectedSinceNanos;
    long rateErrorEventAtNanos;
    /**
     * Joined ticket ids in join order. A list, not a set: a connection joins few tickets (at most
     * {@code maxJoinedTickets}), so a linear search is cheap, and an idle connection with one ticket keeps 48
     * bytes in place of about 200 for a one-entry {@code LinkedHashSet}.
     */
    private final List<String> joinedTicketIds = new ArrayList<>(1);
    /** Typing timers by ticket id; null until the first typing event, as most connections never type. */
    private Map<String, Timer> typingTimers;
    /** Set once on the event loop before the connection enters the expiry wheel, read by its callback. */
    private volatile SocketIoSocket socket;
    /** Links and slot in the {@link TokenExpiryWheel}, guarded by the wheel's lock. The slot is -1 outside it. */
    ClientConnection expiryPrevious;
    ClientConnection expiryNext;
    int expirySlot = -1;
    /** Written under the lock; volatile so that {@link #isReleased()} can read it without the lock. */
    private volatile boolean closed;

    ClientConnection(long number, User user, long tokenDeadlineNanos, EventRateLimiter rateLimiter) {
        this.number = number;
        this.user = user;
        this.tokenDeadlineNanos = tokenDeadlineNanos;
        rateLimiter.start(this, System.nanoTime());
    }

    /** Returns an id unique among this node's connections, used for presence and typing state. */
    String id() {
        return "c" + number;
    }

    User user() {
        return user;
    }

    /** Replaces the user with {@code equal}, an equal object kept by another connection, so that both share it. */
    void shareUser(User equal) {
        if (user.equals(equal)) {
            user = equal;
        }
    }

    long tokenDeadlineNanos() {
        return tokenDeadlineNanos;
    }

    SocketIoSocket socket() {
        return socket;
    }

    void setSocket(SocketIoSocket connected) {
        socket = connected;
    }

    synchronized boolean hasJoined(String ticketId) {
        return joinedTicketIds.contains(ticketId);
    }

    synchronized int joinedCount() {
        return joinedTicketIds.size();
    }

    /**
     * Records a joined ticket and runs {@code joinRoom} under this connection's lock, unless the connection
     * has closed meanwhile.
     *
     * @return false when the connection is closed and nothing was joined
     */
    synchronized boolean join(String ticketId, Runnable joinRoom) {
        if (closed) {
            return false;
        }
        joinRoom.run();
        if (!joinedTicketIds.contains(ticketId)) {
            joinedTicketIds.add(ticketId);
        }
        return true;
    }

    synchronized boolean leave(String ticketId) {
        return joinedTicketIds.remove(ticketId);
    }

    /**
     * Replaces the typing-expiry timer of a ticket.
     *
     * @return false when the connection is closed or has not joined the ticket, so the timer was cancelled
     */
    synchronized boolean setTypingTimer(String ticketId, Timer timer) {
        if (closed || !joinedTicketIds.contains(ticketId)) {
            timer.cancel();
            return false;
        }
        if (typingTimers == null) {
            typingTimers = new HashMap<>(2);
        }
        Timer previous = typingTimers.put(ticketId, timer);
        if (previous != null) {
            previous.cancel();
        }
        return true;
    }

    /** Cancels the typing timer of a ticket; returns whether the connection was typing there. */
    synchronized boolean clearTyping(String ticketId) {
        Timer timer = typingTimers == null ? null : typingTimers.remove(ticketId);
        if (timer == null) {
            return false;
        }
        timer.cancel();
        return true;
    }

    /** Removes the typing timer of a ticket only if it is {@code timer}, as when that timer fires. */
    synchronized boolean typingExpired(String ticketId, Timer timer) {
        return typingTimers != null && typingTimers.remove(ticketId, timer);
    }

    /** Releases everything this connection holds and returns what the gateway must announce. */
    synchronized Released close() {
        closed = true;
        List<String> typing = List.of();
        if (typingTimers != null) {
            typingTimers.values().forEach(Timer::cancel);
            typing = List.copyOf(typingTimers.keySet());
            typingTimers = null;
        }
        List<String> joined = List.copyOf(joinedTicketIds);
        joinedTicketIds.clear();
        return new Released(joined, typing);
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isReleased() {
        return closed;
    }

    @Override
    public String toString() {
        return "ClientConnection[conn=" + id() + ", user=" + user.id() + "]";
    }

    /** The tickets a closed connection had joined and those it was typing in. */
    record Released(List<String> joinedTicketIds, List<String> typingTicketIds) {
    }
}

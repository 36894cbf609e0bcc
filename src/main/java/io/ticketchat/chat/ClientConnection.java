package io.ticketchat.chat;

import io.ticketchat.user.User;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The application's state for one authenticated Socket.IO connection: who it is, which tickets it joined,
 * and the timer that disconnects it when its token expires.
 *
 * <p>Owner: the Socket.IO socket, which holds this object as its attachment from the accepted handshake
 * until it disconnects. Bound: at most {@code maxJoinedTickets} ticket ids and one timer. Threads: the
 * socket's event loop and the database executor both touch it, so every method is synchronized.
 * Release: {@link #close()} on disconnect cancels the timer, empties the ticket set and makes every later
 * join a no-op, so a join whose database check finishes after the client left leaves nothing behind.
 */
final class ClientConnection {
    private final User user;
    private final Instant tokenExpiresAt;
    private final Set<String> joinedTicketIds = new LinkedHashSet<>();
    private ScheduledFuture<?> expiryTimer;
    private boolean closed;

    ClientConnection(User user, Instant tokenExpiresAt) {
        this.user = user;
        this.tokenExpiresAt = tokenExpiresAt;
    }

    User user() {
        return user;
    }

    Instant tokenExpiresAt() {
        return tokenExpiresAt;
    }

    synchronized void setExpiryTimer(ScheduledFuture<?> timer) {
        if (closed) {
            timer.cancel(false);
            return;
        }
        expiryTimer = timer;
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
        joinedTicketIds.add(ticketId);
        return true;
    }

    synchronized boolean leave(String ticketId) {
        return joinedTicketIds.remove(ticketId);
    }

    /** Releases everything this connection holds and returns the tickets it had joined. */
    synchronized List<String> close() {
        closed = true;
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        List<String> joined = List.copyOf(joinedTicketIds);
        joinedTicketIds.clear();
        return joined;
    }

    synchronized boolean isClosed() {
        return closed;
    }
}

package io.ticketchat.chat;

import io.ticketchat.audit.AuditCheck;
import io.ticketchat.concurrent.TimerService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token expiry of every open connection on one periodic task, in place of a scheduled timer per connection.
 * A connection whose token expires while it is connected is reported to the expiry callback at most one
 * {@link #TICK} after the expiry, plus the timer thread's delay.
 *
 * <p>A hashed timing wheel of {@link #SLOTS} slots of one tick each. A connection sits in the slot of the first
 * tick at or after its deadline, in a doubly linked list whose links are fields of {@link ClientConnection}, so an
 * entry costs no object of its own. The tick visits the slots whose time has come and reports the connections
 * whose deadline passed. An entry more than one turn of the wheel away is passed over until its turn comes.
 *
 * <p>Owner: the gateway. Bound: one entry per open connection. {@link #remove} takes it out on disconnect, and the
 * state audit removes an entry whose connection closed without it. Threads: adds and removes come from event loops,
 * the tick and the audit from their own threads, all under this wheel's lock. The callback runs on the timer
 * thread outside the lock.
 */
final class TokenExpiryWheel {
    /** The wheel's resolution: a connection is reported at most this long after its token expired. */
    static final Duration TICK = Duration.ofMillis(250);
    /** Slots of the wheel, a power of two: one turn is 256 seconds. */
    static final int SLOTS = 1024;

    private static final Logger log = LoggerFactory.getLogger(TokenExpiryWheel.class);

    private final long tickNanos = TICK.toNanos();
    private final long originNanos = System.nanoTime();
    private final ClientConnection[] heads = new ClientConnection[SLOTS];
    private final Consumer<ClientConnection> onExpired;
    /** The first tick not visited yet, guarded by this wheel's lock. */
    private long nextTick;
    private volatile int size;

    /** Creates the wheel and runs its tick on the timer thread until {@code timers} closes. */
    TokenExpiryWheel(TimerService timers, Consumer<ClientConnection> onExpired) {
        this.onExpired = onExpired;
        timers.scheduleAtFixedRate(TICK, this::tick);
    }

    /** Returns the number of connections in the wheel, for the scheduled-timers gauge. */
    int size() {
        return size;
    }

    /** Adds an open connection at its token deadline. A closed one is ignored, because nothing is left to expire. */
    synchronized void add(ClientConnection connection) {
        if (connection.isClosed() || connection.expirySlot >= 0) {
            return;
        }
        long tick = Math.max(nextTick, ceilTick(connection.tokenDeadlineNanos()));
        int slot = (int) (tick & (SLOTS - 1));
        ClientConnection head = heads[slot];
        connection.expiryNext = head;
        if (head != null) {
            head.expiryPrevious = connection;
        }
        heads[slot] = connection;
        connection.expirySlot = slot;
        size++;
    }

    /** Removes a connection and returns whether it was in the wheel. */
    synchronized boolean remove(ClientConnection connection) {
        if (connection.expirySlot < 0) {
            return false;
        }
        unlink(connection);
        return true;
    }

    /** Returns the audit check of connections still in the wheel although closed. */
    AuditCheck<ClientConnection> staleEntryCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "token_expiry";
            }

            @Override
            public List<ClientConnection> findStale() {
                List<ClientConnection> stale = new ArrayList<>();
                synchronized (TokenExpiryWheel.this) {
                    for (ClientConnection head : heads) {
                        for (ClientConnection entry = head; entry != null; entry = entry.expiryNext) {
                            if (entry.isClosed()) {
                                stale.add(entry);
                            }
                        }
                    }
                }
                return stale;
            }

            @Override
            public boolean repairIfStale(ClientConnection connection) {
                return connection.isClosed() && remove(connection);
            }
        };
    }

    /** Reports the connections whose deadline passed. Runs every {@link #TICK} on the timer thread. */
    void tick() {
        List<ClientConnection> expired = new ArrayList<>(0);
        synchronized (this) {
            long now = System.nanoTime();
            long currentTick = Math.floorDiv(now - originNanos, tickNanos);
            // A late run visits every tick it missed, but each slot at most once.
            for (long tick = Math.max(nextTick, currentTick - SLOTS + 1); tick <= currentTick; tick++) {
                collectExpired((int) (tick & (SLOTS - 1)), now, expired);
            }
            nextTick = Math.max(nextTick, currentTick + 1);
        }
        for (ClientConnection connection : expired) {
            try {
                onExpired.accept(connection);
            } catch (RuntimeException e) {
                log.warn("token expiry handler failed conn={}", connection.id(), e);
            }
        }
    }

    private void collectExpired(int slot, long now, List<ClientConnection> expired) {
        ClientConnection entry = heads[slot];
        while (entry != null) {
            ClientConnection next = entry.expiryNext;
            if (now - entry.tokenDeadlineNanos() >= 0) {
                unlink(entry);
                expired.add(entry);
            }
            entry = next;
        }
    }

    /** Returns the first tick that starts at or after {@code nanos}. */
    private long ceilTick(long nanos) {
        return -Math.floorDiv(originNanos - nanos, tickNanos);
    }

    private void unlink(ClientConnection connection) {
        if (connection.expiryPrevious != null) {
            connection.expiryPrevious.expiryNext = connection.expiryNext;
        } else {
            heads[connection.expirySlot] = connection.expiryNext;
        }
        if (connection.expiryNext != null) {
            connection.expiryNext.expiryPrevious = connection.expiryPrevious;
        }
        connection.expiryPrevious = null;
        connection.expiryNext = null;
        connection.expirySlot = -1;
        size--;
    }
}

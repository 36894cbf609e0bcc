package io.ticketchat.presence;

import io.ticketchat.audit.AuditCheck;
import io.ticketchat.concurrent.TimerService;
import io.ticketchat.concurrent.TimerService.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Presence of staff users on this node, derived from the set of each user's open connections.
 *
 * <p>A user is present while at least one of their connections is open. The first connection after being
 * offline announces the user's chosen status once; more connections announce nothing. When the last one
 * closes, a grace timer starts. A new connection within it cancels the timer silently, so a page reload is
 * invisible to everyone else. When the timer fires, the user goes offline and that is announced once.
 * Because the state is the set of connection ids, a late close of an old connection removes only that id
 * and can never mark a user with a newer connection offline.
 *
 * <p>Owner: the server, one instance per node. Bound: one entry per staff user with an open connection or a
 * running grace timer, each entry holding its user's connection ids and at most one timer. Threads: event
 * loops and the timer thread; every method is synchronized, and listeners run under the lock, so the order
 * of announcements is the order of changes. Release: an entry and its timer go away when the grace period
 * ends.
 */
public final class PresenceTracker {
    private final Duration grace;
    private final TimerService timers;
    private final PresenceListener listener;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    public PresenceTracker(Duration grace, TimerService timers, PresenceListener listener, Clock clock) {
        this.grace = grace;
        this.timers = timers;
        this.listener = listener;
        this.clock = clock;
    }

    /**
     * Records an open connection of a staff user.
     *
     * @param chosen the status the user chose last (online, away or busy), announced when they come online
     */
    public synchronized void connected(String userId, String userName, String connectionId, PresenceStatus chosen) {
        Entry entry = entries.get(userId);
        if (entry == null) {
            entry = new Entry(userId, userName, chosen);
            entries.put(userId, entry);
            listener.online(new PresenceChange(userId, userName, chosen, now()));
        } else if (entry.graceTimer != null) {
            entry.graceTimer.cancel();
            entry.graceTimer = null;
        }
        entry.userName = userName;
        entry.connectionIds.add(connectionId);
    }

    /** Records a closed connection; the user's last one starts the grace timer. Unknown ids change nothing. */
    public synchronized void disconnected(String userId, String connectionId) {
        Entry entry = entries.get(userId);
        if (entry == null || !entry.connectionIds.remove(connectionId) || !entry.connectionIds.isEmpty()) {
            return;
        }
        Instant closedAt = now();
        entry.graceTimer = timers.schedule(grace, entry, () -> graceEnded(entry, closedAt));
    }

    private synchronized void graceEnded(Entry entry, Instant closedAt) {
        if (entries.get(entry.userId) != entry || !entry.connectionIds.isEmpty()) {
            return;
        }
        goOffline(entry, closedAt);
    }

    private void goOffline(Entry entry, Instant closedAt) {
        entries.remove(entry.userId);
        entry.released = true;
        entry.graceTimer = null;
        listener.offline(new PresenceChange(entry.userId, entry.userName, PresenceStatus.OFFLINE, closedAt));
    }

    /** Returns whether a connection id is recorded for the user, for the state audit. */
    public synchronized boolean tracks(String userId, String connectionId) {
        Entry entry = entries.get(userId);
        return entry != null && entry.connectionIds.contains(connectionId);
    }

    /** Returns a copy of every user's recorded connection ids, for the state audit. */
    public synchronized Map<String, List<String>> trackedConnections() {
        Map<String, List<String>> copy = new HashMap<>();
        entries.forEach((userId, entry) -> copy.put(userId, List.copyOf(entry.connectionIds)));
        return copy;
    }

    /**
     * Returns the audit check of entries with no connection and no pending grace timer, which nothing would
     * ever remove. The repair announces the user offline, as the grace timer would have.
     */
    public AuditCheck<String> emptyEntryCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "presence_entry";
            }

            @Override
            public List<String> findStale() {
                synchronized (PresenceTracker.this) {
                    List<String> stale = new ArrayList<>();
                    entries.forEach((userId, entry) -> {
                        if (entry.isOrphaned()) {
                            stale.add(userId);
                        }
                    });
                    return stale;
                }
            }

            @Override
            public boolean repairIfStale(String userId) {
                synchronized (PresenceTracker.this) {
                    Entry entry = entries.get(userId);
                    if (entry == null || !entry.isOrphaned()) {
                        return false;
                    }
                    goOffline(entry, now());
                    return true;
                }
            }
        };
    }

    /** Drops a user's grace timer without removing the entry, as a lost timer would; for tests of the audit. */
    synchronized void dropGraceTimerForTest(String userId) {
        Entry entry = entries.get(userId);
        entry.graceTimer.cancel();
        entry.graceTimer = null;
    }

    /**
     * Records the status a present user chose and announces it if it differs from the current one.
     *
     * @return true when the status changed and was announced
     */
    public synchronized boolean choose(String userId, PresenceStatus status) {
        Entry entry = entries.get(userId);
        if (entry == null || entry.chosen == status) {
            return false;
        }
        entry.chosen = status;
        listener.statusChosen(new PresenceChange(userId, entry.userName, status, now()));
        return true;
    }

    /** Returns the live status of a user: their chosen one while present, else offline. */
    public synchronized PresenceStatus statusOf(String userId) {
        Entry entry = entries.get(userId);
        return entry == null ? PresenceStatus.OFFLINE : entry.chosen;
    }

    public synchronized Optional<PresenceStatus> chosenStatus(String userId) {
        Entry entry = entries.get(userId);
        return entry == null ? Optional.empty() : Optional.of(entry.chosen);
    }

    /** Returns the number of tracked users, present or in their grace period, for the gauge. */
    public synchronized int entryCount() {
        return entries.size();
    }

    private Instant now() {
        return clock.instant();
    }

    /** One staff user's open connections, chosen status and grace timer; it owns the grace timer. */
    private static final class Entry implements TimerService.Owner {
        final String userId;
        final Set<String> connectionIds = new HashSet<>(2);
        String userName;
        PresenceStatus chosen;
        Timer graceTimer;
        /** Set under the tracker's lock when the entry leaves the map; read by the audit without it. */
        volatile boolean released;

        Entry(String userId, String userName, PresenceStatus chosen) {
            this.userId = userId;
            this.userName = userName;
            this.chosen = chosen;
        }

        boolean isOrphaned() {
            return connectionIds.isEmpty() && (graceTimer == null || graceTimer.isDone());
        }

        @Override
        public boolean isReleased() {
            return released;
        }

        @Override
        public String toString() {
            return "PresenceEntry[user=" + userId + "]";
        }
    }
}

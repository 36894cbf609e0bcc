package io.ticketchat.presence;

import io.ticketchat.concurrent.TimerService;
import io.ticketchat.concurrent.TimerService.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
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
        entry.graceTimer = timers.schedule(grace, () -> graceEnded(entry, closedAt));
    }

    private synchronized void graceEnded(Entry entry, Instant closedAt) {
        if (entries.get(entry.userId) != entry || !entry.connectionIds.isEmpty()) {
            return;
        }
        entries.remove(entry.userId);
        entry.graceTimer = null;
        listener.offline(new PresenceChange(entry.userId, entry.userName, PresenceStatus.OFFLINE, closedAt));
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

    /** One staff user's open connections, chosen status and grace timer. */
    private static final class Entry {
        final String userId;
        final Set<String> connectionIds = new HashSet<>(2);
        String userName;
        PresenceStatus chosen;
        Timer graceTimer;

        Entry(String userId, String userName, PresenceStatus chosen) {
            this.userId = userId;
            this.userName = userName;
            this.chosen = chosen;
        }
    }
}

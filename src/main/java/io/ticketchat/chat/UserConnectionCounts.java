package io.ticketchat.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per user on this node, for the per-user connection limit.
 *
 * <p>Owner: the gateway. Bound: one entry per user with an open connection; an entry goes away with the
 * user's last connection. Threads: any; each update is atomic per user.
 */
final class UserConnectionCounts {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    int count(String userId) {
        return counts.getOrDefault(userId, 0);
    }

    /** Counts a new connection unless the user already has {@code max}; returns whether it was counted. */
    boolean tryAdd(String userId, int max) {
        boolean[] added = new boolean[1];
        counts.compute(userId, (id, current) -> {
            int open = current == null ? 0 : current;
            if (open >= max) {
                return current;
            }
            added[0] = true;
            return open + 1;
        });
        return added[0];
    }

    void remove(String userId) {
        counts.computeIfPresent(userId, (id, current) -> current <= 1 ? null : current - 1);
    }

    /** Returns a copy of the counts, for the state audit. */
    Map<String, Integer> snapshot() {
        return Map.copyOf(counts);
    }

    /**
     * Lowers a user's count by {@code excess}, but not below {@code floor}, and removes the entry at zero;
     * returns whether it changed.
     */
    boolean reduce(String userId, int excess, int floor) {
        boolean[] changed = new boolean[1];
        counts.computeIfPresent(userId, (id, current) -> {
            int reduced = Math.max(floor, current - excess);
            changed[0] = reduced < current;
            return reduced <= 0 ? null : reduced;
        });
        return changed[0];
    }

    int userCount() {
        return counts.size();
    }
}

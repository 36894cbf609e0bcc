package io.ticketchat.chat;

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

    int userCount() {
        return counts.size();
    }
}

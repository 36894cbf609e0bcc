package io.ticketchat.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which users are typing in which tickets, derived from the connections that said so. A user is typing in a
 * ticket while at least one of their connections is, so {@code user_typing} goes out only when that changes.
 *
 * <p>Owner: the gateway, one per node. Bound: one entry per (ticket, user) with a typing connection. Each
 * entry contains only that user's connection ids and goes away with its last one. Threads: event
 * loops and the timer thread, so every method is synchronized. Nothing here is stored.
 */
final class TypingTracker {
    private final Map<Key, Set<String>> typingConnections = new HashMap<>();

    /** Records that a connection types; returns true when the user was not typing in the ticket before. */
    synchronized boolean start(String ticketId, String userId, String connectionId) {
        Set<String> connections = typingConnections.computeIfAbsent(new Key(ticketId, userId), key -> new HashSet<>(2));
        return connections.add(connectionId) && connections.size() == 1;
    }

    /** Records that a connection stopped typing; returns true when the user is no longer typing in the ticket. */
    synchronized boolean stop(String ticketId, String userId, String connectionId) {
        Key key = new Key(ticketId, userId);
        Set<String> connections = typingConnections.get(key);
        if (connections == null || !connections.remove(connectionId)) {
            return false;
        }
        if (connections.isEmpty()) {
            typingConnections.remove(key);
            return true;
        }
        return false;
    }

    synchronized int entryCount() {
        return typingConnections.size();
    }

    /** Returns every (ticket, user, connection) triple, for the state audit. */
    synchronized List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        typingConnections.forEach((key, connections) -> {
            for (String connectionId : connections) {
                all.add(new Entry(key.ticketId(), key.userId(), connectionId));
            }
        });
        return all;
    }

    private record Key(String ticketId, String userId) {
    }

    /** One connection typing in one ticket. */
    record Entry(String ticketId, String userId, String connectionId) {
    }
}

package io.ticketchat.chat;

import io.ticketchat.audit.AuditCheck;
import io.ticketchat.presence.PresenceTracker;
import io.ticketchat.socketio.Namespace;
import io.ticketchat.socketio.SocketIoSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit checks of state kept per connection outside the connection itself: typing entries, presence
 * connection ids and per-user connection counts. A connection is open while its socket is in the namespace
 * and its {@link ClientConnection} is not closed; state that names any other connection is stale.
 *
 * <p>Keeps nothing: each look scans the namespace's socket map, which is why it runs on the audit thread.
 */
final class ConnectionStateChecks {
    private final Namespace namespace;
    private final TypingTracker typing;
    private final UserConnectionCounts connectionCounts;
    private final PresenceTracker presence;

    ConnectionStateChecks(Namespace namespace, TypingTracker typing, UserConnectionCounts connectionCounts,
            PresenceTracker presence) {
        this.namespace = namespace;
        this.typing = typing;
        this.connectionCounts = connectionCounts;
        this.presence = presence;
    }

    AuditCheck<TypingTracker.Entry> typingCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "typing_entry";
            }

            @Override
            public List<TypingTracker.Entry> findStale() {
                Set<String> open = openConnectionIds();
                List<TypingTracker.Entry> stale = new ArrayList<>();
                for (TypingTracker.Entry entry : typing.entries()) {
                    if (!open.contains(entry.connectionId())) {
                        stale.add(entry);
                    }
                }
                return stale;
            }

            @Override
            public boolean repairIfStale(TypingTracker.Entry entry) {
                if (openConnectionIds().contains(entry.connectionId())) {
                    return false;
                }
                // NOTE: no user_typing false goes out for a released entry, because the user's name left with
                //  the connection; clients clear the indicator when their own typing timeout passes.
                return typing.stop(entry.ticketId(), entry.userId(), entry.connectionId());
            }
        };
    }

    AuditCheck<PresenceConnection> presenceConnectionCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "presence_connection";
            }

            @Override
            public List<PresenceConnection> findStale() {
                Set<String> open = openConnectionIds();
                List<PresenceConnection> stale = new ArrayList<>();
                presence.trackedConnections().forEach((userId, connectionIds) -> {
                    for (String connectionId : connectionIds) {
                        if (!open.contains(connectionId)) {
                            stale.add(new PresenceConnection(userId, connectionId));
                        }
                    }
                });
                return stale;
            }

            @Override
            public boolean repairIfStale(PresenceConnection entry) {
                if (openConnectionIds().contains(entry.connectionId())
                        || !presence.tracks(entry.userId(), entry.connectionId())) {
                    return false;
                }
                presence.disconnected(entry.userId(), entry.connectionId());
                return true;
            }
        };
    }

    AuditCheck<CountExcess> connectionCountCheck() {
        return new AuditCheck<>() {
            @Override
            public String kind() {
                return "connection_count";
            }

            @Override
            public List<CountExcess> findStale() {
                Map<String, Integer> open = openConnectionsPerUser();
                List<CountExcess> stale = new ArrayList<>();
                connectionCounts.snapshot().forEach((userId, count) -> {
                    int excess = count - open.getOrDefault(userId, 0);
                    if (excess > 0) {
                        stale.add(new CountExcess(userId, excess));
                    }
                });
                return stale;
            }

            @Override
            public boolean repairIfStale(CountExcess first) {
                int open = openConnectionsPerUser().getOrDefault(first.userId(), 0);
                int excess = connectionCounts.count(first.userId()) - open;
                // NOTE: a count is per user, not per connection, so a close of another connection of the same
                //  user that is in progress right at this second look also shows as excess; taking the smaller
                //  excess of both looks keeps such a coincidence to one wrong count at most.
                return excess > 0 && connectionCounts.reduce(first.userId(), Math.min(excess, first.excess()), open);
            }
        };
    }

    private Set<String> openConnectionIds() {
        Set<String> ids = new HashSet<>();
        for (SocketIoSocket socket : namespace.sockets()) {
            ClientConnection connection = openConnectionOf(socket);
            if (connection != null) {
                ids.add(connection.id());
            }
        }
        return ids;
    }

    private Map<String, Integer> openConnectionsPerUser() {
        Map<String, Integer> counts = new HashMap<>();
        for (SocketIoSocket socket : namespace.sockets()) {
            ClientConnection connection = openConnectionOf(socket);
            if (connection != null) {
                counts.merge(connection.user().id(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static ClientConnection openConnectionOf(SocketIoSocket socket) {
        ClientConnection connection = socket.attachment();
        return socket.isConnected() && connection != null && !connection.isClosed() ? connection : null;
    }

    /** A connection id that presence records for a user. */
    record PresenceConnection(String userId, String connectionId) {
    }

    /** A user's connection count above their open connections, as seen at the first look. */
    record CountExcess(String userId, int excess) {
    }
}

package io.ticketchat.socketio;

import io.ticketchat.audit.AuditCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rooms of one namespace on a single node, in two concurrent maps: room to members and socket to rooms.
 *
 * <p>Owned by its {@link Namespace}. Both maps hold only sockets that are connected: a socket joins on its event
 * loop while connected, and {@link SocketIoSocket} calls {@link #leaveAll} when it disconnects, which removes its
 * entries and every room it leaves empty. Per-key atomic updates keep the two maps consistent under concurrent joins
 * from different event loops.
 */
final class InMemoryRoomAdapter implements RoomAdapter {
    private final Namespace namespace;
    private final ConcurrentMap<String, Set<SocketIoSocket>> membersByRoom = new ConcurrentHashMap<>();
    private final ConcurrentMap<SocketIoSocket, Set<String>> roomsBySocket = new ConcurrentHashMap<>();
    private final AtomicInteger memberships = new AtomicInteger();

    InMemoryRoomAdapter(Namespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public void join(SocketIoSocket socket, String room) {
        roomsBySocket.compute(socket, (key, rooms) -> {
            Set<String> joined = rooms != null ? rooms : ConcurrentHashMap.newKeySet(4);
            if (joined.add(room)) {
                membersByRoom.computeIfAbsent(room, name -> ConcurrentHashMap.newKeySet(4)).add(socket);
                memberships.incrementAndGet();
            }
            return joined;
        });
    }

    @Override
    public void leave(SocketIoSocket socket, String room) {
        roomsBySocket.computeIfPresent(socket, (key, rooms) -> {
            if (rooms.remove(room)) {
                removeMember(room, socket);
                memberships.decrementAndGet();
            }
            return rooms.isEmpty() ? null : rooms;
        });
    }

    @Override
    public void leaveAll(SocketIoSocket socket) {
        Set<String> rooms = roomsBySocket.remove(socket);
        if (rooms == null) {
            return;
        }
        for (String room : rooms) {
            removeMember(room, socket);
        }
        memberships.addAndGet(-rooms.size());
    }

    private void removeMember(String room, SocketIoSocket socket) {
        membersByRoom.computeIfPresent(room, (name, members) -> {
            members.remove(socket);
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public Set<String> rooms(SocketIoSocket socket) {
        Set<String> rooms = roomsBySocket.get(socket);
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }

    @Override
    public Set<SocketIoSocket> members(String room) {
        Set<SocketIoSocket> members = membersByRoom.get(room);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    @Override
    public void broadcast(EncodedPacket packet, Set<String> rooms, Set<SocketIoSocket> except) {
        if (rooms.isEmpty()) {
            for (SocketIoSocket socket : namespace.connectedSockets()) {
                deliver(packet, socket, except);
            }
            return;
        }
        if (rooms.size() == 1) {
            Set<SocketIoSocket> members = membersByRoom.get(rooms.iterator().next());
            if (members != null) {
                members.forEach(socket -> deliver(packet, socket, except));
            }
            return;
        }
        Set<SocketIoSocket> recipients = new HashSet<>();
        for (String room : rooms) {
            Set<SocketIoSocket> members = membersByRoom.get(room);
            if (members != null) {
                recipients.addAll(members);
            }
        }
        recipients.forEach(socket -> deliver(packet, socket, except));
    }

    private static void deliver(EncodedPacket packet, SocketIoSocket socket, Set<SocketIoSocket> except) {
        if (!except.contains(socket)) {
            packet.deliverTo(socket);
        }
    }

    @Override
    public List<AuditCheck<?>> staleStateChecks() {
        return List.of(new StaleMembershipCheck(), new EmptyRoomCheck());
    }

    /** Adds a room without members, as a broken leave would leave it; for tests of the audit. */
    void plantEmptyRoomForTest(String room) {
        membersByRoom.put(room, ConcurrentHashMap.newKeySet(1));
    }

    @Override
    public int roomCount() {
        return membersByRoom.size();
    }

    @Override
    public int membershipCount() {
        return memberships.get();
    }

    /** Memberships of sockets that are no longer in the namespace, checked and released on the socket's loop. */
    private final class StaleMembershipCheck implements AuditCheck<SocketIoSocket> {
        @Override
        public String kind() {
            return "room_membership";
        }

        @Override
        public List<SocketIoSocket> findStale() {
            List<SocketIoSocket> stale = new ArrayList<>();
            for (SocketIoSocket socket : roomsBySocket.keySet()) {
                if (!socket.isConnected() || !namespace.contains(socket)) {
                    stale.add(socket);
                }
            }
            return stale;
        }

        @Override
        public boolean repairIfStale(SocketIoSocket socket) {
            return StaleSocketCheck.callOnLoop(socket, () -> {
                if (!roomsBySocket.containsKey(socket) || socket.isConnected() && namespace.contains(socket)) {
                    return false;
                }
                leaveAll(socket);
                return true;
            });
        }
    }

    /** Rooms whose member set is empty, which {@link #removeMember} should have removed. */
    private final class EmptyRoomCheck implements AuditCheck<String> {
        @Override
        public String kind() {
            return "empty_room";
        }

        @Override
        public List<String> findStale() {
            List<String> stale = new ArrayList<>();
            for (Map.Entry<String, Set<SocketIoSocket>> room : membersByRoom.entrySet()) {
                if (room.getValue().isEmpty()) {
                    stale.add(room.getKey());
                }
            }
            return stale;
        }

        @Override
        public boolean repairIfStale(String room) {
            boolean[] removed = new boolean[1];
            membersByRoom.computeIfPresent(room, (name, members) -> {
                removed[0] = members.isEmpty();
                return removed[0] ? null : members;
            });
            return removed[0];
        }
    }
}

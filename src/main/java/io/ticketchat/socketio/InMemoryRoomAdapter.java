package io.ticketchat.socketio;

import io.ticketchat.audit.AuditCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rooms of one namespace on a single node: a concurrent map from room name to its {@link Room}, and each socket's
 * own list of the rooms it is in.
 *
 * <p>Owned by its {@link Namespace}. A socket's room list is an array on the socket, replaced on every change and
 * guarded by the socket's monitor, which only this adapter takes. A room's members are a concurrent set. Both
 * contain only sockets that are connected: a socket joins on its event loop while connected, and
 * {@link SocketIoSocket} calls {@link #leaveAll} when it disconnects, which removes its entries and every room it
 * leaves empty. A change to a socket's list and to a room's members happens under the socket's monitor, with an
 * atomic update of the room's map entry inside it, so the two stay consistent under concurrent joins from
 * different event loops.
 *
 * <p>Every member's list contains the room's own name string, so a room name costs one string per room and not one
 * per member.
 */
final class InMemoryRoomAdapter implements RoomAdapter {
    private static final String[] NO_ROOMS = new String[0];

    private final Namespace namespace;
    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger memberships = new AtomicInteger();

    InMemoryRoomAdapter(Namespace namespace) {
        this.namespace = namespace;
    }

    @Override
    public void join(SocketIoSocket socket, String room) {
        synchronized (socket) {
            String[] joined = roomsOf(socket);
            if (indexOf(joined, room) >= 0) {
                return;
            }
            Room entry = rooms.compute(room, (name, existing) -> {
                Room target = existing != null ? existing : new Room(name);
                target.members.add(socket);
                return target;
            });
            String[] extended = Arrays.copyOf(joined, joined.length + 1);
            extended[joined.length] = entry.name;
            socket.joinedRooms = extended;
            memberships.incrementAndGet();
        }
    }

    @Override
    public void leave(SocketIoSocket socket, String room) {
        synchronized (socket) {
            String[] joined = roomsOf(socket);
            int index = indexOf(joined, room);
            if (index < 0) {
                return;
            }
            String[] remaining = new String[joined.length - 1];
            System.arraycopy(joined, 0, remaining, 0, index);
            System.arraycopy(joined, index + 1, remaining, index, remaining.length - index);
            socket.joinedRooms = remaining.length == 0 ? null : remaining;
            removeMember(room, socket);
            memberships.decrementAndGet();
        }
    }

    @Override
    public void leaveAll(SocketIoSocket socket) {
        synchronized (socket) {
            String[] joined = roomsOf(socket);
            if (joined.length == 0) {
                return;
            }
            socket.joinedRooms = null;
            for (String room : joined) {
                removeMember(room, socket);
            }
            memberships.addAndGet(-joined.length);
        }
    }

    private void removeMember(String room, SocketIoSocket socket) {
        rooms.computeIfPresent(room, (name, entry) -> {
            entry.members.remove(socket);
            return entry.members.isEmpty() ? null : entry;
        });
    }

    @Override
    public Set<String> rooms(SocketIoSocket socket) {
        return Set.of(roomsOf(socket));
    }

    private static String[] roomsOf(SocketIoSocket socket) {
        String[] joined = socket.joinedRooms;
        return joined == null ? NO_ROOMS : joined;
    }

    private static int indexOf(String[] joined, String room) {
        for (int i = 0; i < joined.length; i++) {
            if (joined[i].equals(room)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<SocketIoSocket> members(String room) {
        Room entry = rooms.get(room);
        return entry == null ? Set.of() : Set.copyOf(entry.members);
    }

    @Override
    public void broadcast(EncodedPacket packet, Set<String> targets, Set<SocketIoSocket> except) {
        if (targets.isEmpty()) {
            for (SocketIoSocket socket : namespace.connectedSockets()) {
                deliver(packet, socket, except);
            }
            return;
        }
        if (targets.size() == 1) {
            Room entry = rooms.get(targets.iterator().next());
            if (entry != null) {
                entry.members.forEach(socket -> deliver(packet, socket, except));
            }
            return;
        }
        Set<SocketIoSocket> recipients = new HashSet<>();
        for (String room : targets) {
            Room entry = rooms.get(room);
            if (entry != null) {
                recipients.addAll(entry.members);
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
        rooms.put(room, new Room(room));
    }

    @Override
    public int roomCount() {
        return rooms.size();
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
            Set<SocketIoSocket> stale = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Room room : rooms.values()) {
                for (SocketIoSocket socket : room.members) {
                    if (!socket.isConnected() || !namespace.contains(socket)) {
                        stale.add(socket);
                    }
                }
            }
            return new ArrayList<>(stale);
        }

        @Override
        public boolean repairIfStale(SocketIoSocket socket) {
            return StaleSocketCheck.callOnLoop(socket, () -> {
                if (socket.isConnected() && namespace.contains(socket)) {
                    return false;
                }
                if (roomsOf(socket).length == 0) {
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
            for (Room room : rooms.values()) {
                if (room.members.isEmpty()) {
                    stale.add(room.name);
                }
            }
            return stale;
        }

        @Override
        public boolean repairIfStale(String room) {
            boolean[] removed = new boolean[1];
            rooms.computeIfPresent(room, (name, entry) -> {
                removed[0] = entry.members.isEmpty();
                return removed[0] ? null : entry;
            });
            return removed[0];
        }
    }

    /** A room: its name, which every member's room list shares, and its members. */
    private static final class Room {
        private final String name;
        private final Set<SocketIoSocket> members = ConcurrentHashMap.newKeySet(4);

        Room(String name) {
            this.name = name;
        }
    }
}

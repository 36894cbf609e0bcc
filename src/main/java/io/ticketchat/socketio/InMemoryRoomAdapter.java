package io.ticketchat.socketio;

import java.util.HashSet;
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
    public int roomCount() {
        return membersByRoom.size();
    }

    @Override
    public int membershipCount() {
        return memberships.get();
    }
}

package io.ticketchat.socketio;

import io.ticketchat.audit.AuditCheck;
import java.util.List;
import java.util.Set;

/**
 * The rooms of one namespace: room to members and socket to rooms, and broadcasting to them. One instance per
 * namespace. The in-memory implementation serves a single node; a cluster implementation would also forward
 * broadcasts to the other nodes.
 *
 * <p>Implementations are safe from any thread. A socket's entries are removed by {@link #leaveAll} when it
 * disconnects, so no membership outlives its socket, and a room without members does not exist.
 */
public interface RoomAdapter {
    void join(SocketIoSocket socket, String room);

    void leave(SocketIoSocket socket, String room);

    /** Removes the socket from every room it is in. */
    void leaveAll(SocketIoSocket socket);

    /** Returns a snapshot of the socket's rooms. */
    Set<String> rooms(SocketIoSocket socket);

    /** Returns a snapshot of the room's members. */
    Set<SocketIoSocket> members(String room);

    /**
     * Delivers the packet to every member of the given rooms (each socket once), or to every socket of the
     * namespace when {@code rooms} is empty, leaving out the sockets in {@code except}.
     */
    void broadcast(EncodedPacket packet, Set<String> rooms, Set<SocketIoSocket> except);

    int roomCount();

    /** Returns the audit checks of memberships of disconnected sockets and of rooms without members. */
    List<AuditCheck<?>> staleStateChecks();

    /** Returns the number of (socket, room) pairs. */
    int membershipCount();
}

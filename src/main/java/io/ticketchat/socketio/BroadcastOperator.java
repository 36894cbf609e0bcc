package io.ticketchat.socketio;

import java.util.HashSet;
import java.util.Set;

/**
 * A broadcast being built: target rooms and excluded sockets of one namespace. Immutable; each call returns a new
 * operator, so one may be shared. The packet is serialized once, whatever the number of recipients.
 */
public final class BroadcastOperator {
    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<SocketIoSocket> except;

    BroadcastOperator(Namespace namespace, Set<String> rooms, Set<SocketIoSocket> except) {
        this.namespace = namespace;
        this.rooms = Set.copyOf(rooms);
        this.except = Set.copyOf(except);
    }

    /** Adds a room to the targets: members of any target room receive the packet once. */
    public BroadcastOperator to(String room) {
        Set<String> more = new HashSet<>(rooms);
        more.add(room);
        return new BroadcastOperator(namespace, more, except);
    }

    /** Leaves a socket out of the broadcast, typically the sender. */
    public BroadcastOperator except(SocketIoSocket socket) {
        Set<SocketIoSocket> more = new HashSet<>(except);
        more.add(socket);
        return new BroadcastOperator(namespace, rooms, more);
    }

    /** Sends the event to the targets; arguments are serialized by Jackson, byte arrays become attachments. */
    public void emit(String event, Object... args) {
        namespace.broadcast(event, args, rooms, except);
    }
}

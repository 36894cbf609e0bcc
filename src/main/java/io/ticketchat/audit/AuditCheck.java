package io.ticketchat.audit;

import java.util.List;

/**
 * One kind of tracked state that {@link StateAudit} compares with the live connections, for example the room
 * memberships of closed sockets.
 *
 * <p>Implementations keep no state of their own and add nothing per connection: they read the maps that the
 * owning component already keeps. Both methods run on the audit thread and may wait for an event loop, but never
 * for longer than a few seconds.
 *
 * @param <T> an entry of the checked state; its {@code toString()} names the ids that a log reader needs
 */
public interface AuditCheck<T> {
    /** Returns the value of the {@code kind} tag of the repair counter, for example {@code room_membership}. */
    String kind();

    /** Returns the entries that look stale now (the first look). */
    List<T> findStale();

    /**
     * Looks at one entry again and releases it if it is still stale (the second look); returns whether it did.
     * An entry released meanwhile by its normal close path returns false.
     */
    boolean repairIfStale(T entry);
}

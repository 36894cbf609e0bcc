package io.ticketchat.config;

import java.util.List;

/**
 * The bounds that keep the memory and work spent on one client finite. Every limit has a default here, a
 * command-line flag and a {@code TICKETCHAT_*} environment variable; the server rejects what goes past it with a
 * contract error code and counts the rejection. {@code docs/limits.md} lists them with what a client receives.
 *
 * @param maxPayloadBytes largest incoming packet: Engine.IO maxPayload, polling and REST request bodies
 * @param maxMessageChars longest message content, counted in Unicode code points
 * @param maxAttachments attachments in one message
 * @param historyDefaultLimit messages in a history page when the client names no limit
 * @param historyMaxLimit upper clamp of a history page
 * @param maxOutboundQueuedBytes bytes queued for one slow connection before it is dropped
 * @param eventsPerSecond client events one connection may send per second, on average
 * @param eventBurst client events one connection may send at once after a quiet time
 * @param floodDisconnectMillis how long a connection may stay over the event rate before it is disconnected
 * @param maxJoinedTickets tickets one connection may join at once
 * @param maxConnectionsPerUser open connections one user may have on one node
 * @param maxBinaryAttachments binary attachments announced by one Socket.IO packet
 * @param maxQueuedDbTasks database tasks waiting for a worker before new ones are rejected with {@code overloaded}.
 *     The message writer applies the same bound to its sends in flight, queued or waiting to complete.
 * @param connectTimeoutMillis time a new Engine.IO session has to connect a Socket.IO namespace before it is closed
 * @param upgradeTimeoutMillis time a probing WebSocket has to complete the upgrade from polling before it is closed
 */
public record LimitsConfig(
        int maxPayloadBytes,
        int maxMessageChars,
        int maxAttachments,
        int historyDefaultLimit,
        int historyMaxLimit,
        int maxOutboundQueuedBytes,
        int eventsPerSecond,
        int eventBurst,
        long floodDisconnectMillis,
        int maxJoinedTickets,
        int maxConnectionsPerUser,
        int maxBinaryAttachments,
        int maxQueuedDbTasks,
        long connectTimeoutMillis,
        long upgradeTimeoutMillis) {

    public static LimitsConfig defaults() {
        return new LimitsConfig(1_000_000, 10_000, 10, 200, 200, 1_000_000, 20, 40, 10_000, 100, 20,
                10, 1_000, 45_000, 10_000);
    }

    /** Returns these limits with another event rate and burst per connection. */
    public LimitsConfig withEventRate(int newEventsPerSecond, int newEventBurst) {
        return new LimitsConfig(
                maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, newEventsPerSecond, newEventBurst, floodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, maxBinaryAttachments, maxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with another time over the event rate before a disconnect. */
    public LimitsConfig withFloodDisconnectMillis(long newFloodDisconnectMillis) {
        return new LimitsConfig(
                maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, eventsPerSecond, eventBurst, newFloodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, maxBinaryAttachments, maxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with another maximum incoming packet or body size. */
    public LimitsConfig withMaxPayloadBytes(int newMaxPayloadBytes) {
        return new LimitsConfig(
                newMaxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, eventsPerSecond, eventBurst, floodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, maxBinaryAttachments, maxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with another outbound queue bound per connection. */
    public LimitsConfig withMaxOutboundQueuedBytes(int newMaxOutboundQueuedBytes) {
        return new LimitsConfig(
                maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                newMaxOutboundQueuedBytes, eventsPerSecond, eventBurst, floodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, maxBinaryAttachments, maxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with other maxima of tickets joined per connection and connections per user. */
    public LimitsConfig withConnectionLimits(int newMaxJoinedTickets, int newMaxConnectionsPerUser) {
        return new LimitsConfig(
                maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, eventsPerSecond, eventBurst, floodDisconnectMillis, newMaxJoinedTickets,
                newMaxConnectionsPerUser, maxBinaryAttachments, maxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with another maximum of binary attachments per Socket.IO packet. */
    public LimitsConfig withMaxBinaryAttachments(int newMaxBinaryAttachments) {
        return new LimitsConfig(
                maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, eventsPerSecond, eventBurst, floodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, newMaxBinaryAttachments, maxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with another bound of database tasks waiting for a worker. */
    public LimitsConfig withMaxQueuedDbTasks(int newMaxQueuedDbTasks) {
        return new LimitsConfig(
                maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, eventsPerSecond, eventBurst, floodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, maxBinaryAttachments, newMaxQueuedDbTasks, connectTimeoutMillis,
                upgradeTimeoutMillis);
    }

    /** Returns these limits with other connect and upgrade timeouts, in milliseconds. */
    public LimitsConfig withHandshakeTimeouts(long newConnectTimeoutMillis, long newUpgradeTimeoutMillis) {
        return new LimitsConfig(maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit, historyMaxLimit,
                maxOutboundQueuedBytes, eventsPerSecond, eventBurst, floodDisconnectMillis, maxJoinedTickets,
                maxConnectionsPerUser, maxBinaryAttachments, maxQueuedDbTasks, newConnectTimeoutMillis,
                newUpgradeTimeoutMillis);
    }

    void collectProblems(List<String> problems) {
        requireAtLeast(problems, "max payload bytes", maxPayloadBytes, 1024);
        requireAtLeast(problems, "max message chars", maxMessageChars, 1);
        requireAtLeast(problems, "max attachments", maxAttachments, 0);
        requireAtLeast(problems, "history max limit", historyMaxLimit, 1);
        requireAtLeast(problems, "history default limit", historyDefaultLimit, 1);
        if (historyDefaultLimit > historyMaxLimit) {
            problems.add("history default limit " + historyDefaultLimit + " is above the max " + historyMaxLimit);
        }
        requireAtLeast(problems, "max outbound queued bytes", maxOutboundQueuedBytes, 1024);
        requireAtLeast(problems, "events per second", eventsPerSecond, 1);
        requireAtLeast(problems, "event burst", eventBurst, 1);
        requireAtLeast(problems, "flood disconnect ms", floodDisconnectMillis, 0);
        requireAtLeast(problems, "max joined tickets", maxJoinedTickets, 1);
        requireAtLeast(problems, "max connections per user", maxConnectionsPerUser, 1);
        requireAtLeast(problems, "max binary attachments", maxBinaryAttachments, 0);
        requireAtLeast(problems, "max queued db tasks", maxQueuedDbTasks, 1);
        requireAtLeast(problems, "connect timeout ms", connectTimeoutMillis, 1);
        requireAtLeast(problems, "upgrade timeout ms", upgradeTimeoutMillis, 1);
    }

    private static void requireAtLeast(List<String> problems, String name, long value, long minimum) {
        if (value < minimum) {
            problems.add("invalid " + name + " " + value + ": must be at least " + minimum);
        }
    }
}

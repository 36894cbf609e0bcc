package io.ticketchat.config;

import java.util.List;

/**
 * The bounds that keep the memory and work spent on one client finite. Every limit has a default here and a
 * command-line flag; the server rejects what goes past it with a contract error code.
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
        int maxConnectionsPerUser) {

    public static LimitsConfig defaults() {
        return new LimitsConfig(1_000_000, 10_000, 10, 200, 200, 1_000_000, 20, 40, 10_000, 100, 20);
    }

    /** Returns these limits with another event rate and burst per connection. */
    public LimitsConfig withEventRate(int newEventsPerSecond, int newEventBurst) {
        return new LimitsConfig(maxPayloadBytes, maxMessageChars, maxAttachments, historyDefaultLimit,
                historyMaxLimit, maxOutboundQueuedBytes, newEventsPerSecond, newEventBurst, floodDisconnectMillis,
                maxJoinedTickets, maxConnectionsPerUser);
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
    }

    private static void requireAtLeast(List<String> problems, String name, long value, long minimum) {
        if (value < minimum) {
            problems.add("invalid " + name + " " + value + ": must be at least " + minimum);
        }
    }
}

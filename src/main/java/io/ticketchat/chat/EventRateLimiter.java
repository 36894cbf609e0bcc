package io.ticketchat.chat;

/**
 * A token bucket for the events of each connection: {@code ratePerSecond} tokens a second, up to {@code burst}
 * saved. It also tracks how long a connection has been rejected without a break, so a client that keeps
 * flooding after the first {@code rate_limited} can be disconnected. It paces the {@code error} events sent
 * for rejections, too.
 *
 * <p>The gateway has one limiter with the settings for all its connections. Each connection's counters are fields
 * of its {@link ClientConnection}, so a connection carries no limiter object of its own. Threads: {@link #start}
 * fills a connection's counters in its constructor, before the socket has it. After that they are touched on the
 * socket's event loop only, because every client event arrives there, so they need no lock. Release: the counters
 * go with their connection.
 */
final class EventRateLimiter {
    /** The decision for one event. */
    enum Outcome {
        ACCEPTED,
        REJECTED,
        /** Rejected, and rejected without a break for longer than the flood limit: disconnect. */
        DISCONNECT
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratePerSecond;
    private final double burst;
    private final long floodLimitNanos;

    EventRateLimiter(double ratePerSecond, int burst, long floodLimitMillis) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.floodLimitNanos = floodLimitMillis * 1_000_000L;
    }

    /** Fills the bucket of a new connection. */
    void start(ClientConnection connection, long nowNanos) {
        connection.rateTokens = burst;
        connection.rateRefilledAtNanos = nowNanos;
        connection.rateRejectedSinceNanos = -1;
        connection.rateErrorEventAtNanos = Long.MIN_VALUE;
    }

    Outcome acquire(ClientConnection connection, long nowNanos) {
        double refilled = connection.rateTokens
                + (nowNanos - connection.rateRefilledAtNanos) * ratePerSecond / NANOS_PER_SECOND;
        connection.rateTokens = Math.min(burst, refilled);
        connection.rateRefilledAtNanos = nowNanos;
        if (connection.rateTokens >= 1) {
            connection.rateTokens -= 1;
            connection.rateRejectedSinceNanos = -1;
            return Outcome.ACCEPTED;
        }
        if (connection.rateRejectedSinceNanos < 0) {
            connection.rateRejectedSinceNanos = nowNanos;
        }
        return nowNanos - connection.rateRejectedSinceNanos >= floodLimitNanos ? Outcome.DISCONNECT : Outcome.REJECTED;
    }

    /** Returns whether an {@code error} event may go out for a rejection now: at most one a second. */
    boolean mayReportRejection(ClientConnection connection, long nowNanos) {
        long last = connection.rateErrorEventAtNanos;
        if (last != Long.MIN_VALUE && nowNanos - last < NANOS_PER_SECOND) {
            return false;
        }
        connection.rateErrorEventAtNanos = nowNanos;
        return true;
    }
}

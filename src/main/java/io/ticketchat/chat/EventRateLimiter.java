package io.ticketchat.chat;

/**
 * A token bucket for the events of one connection: {@code ratePerSecond} tokens a second, up to {@code burst}
 * saved. It also tracks how long the connection has been rejected without a break, so a client that keeps
 * flooding after the first {@code rate_limited} can be disconnected. It paces the {@code error} events sent
 * for rejections, too.
 *
 * <p>Owner: one {@link ClientConnection}. Threads: the socket's event loop only, because every client event
 * arrives there, so it needs no lock. Release: with its connection.
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
    private double tokens;
    private long refilledAt;
    private long rejectedSince = -1;
    private long errorEventAt = Long.MIN_VALUE;

    EventRateLimiter(double ratePerSecond, int burst, long floodLimitMillis, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.floodLimitNanos = floodLimitMillis * 1_000_000L;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    Outcome acquire(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerSecond / NANOS_PER_SECOND);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            rejectedSince = -1;
            return Outcome.ACCEPTED;
        }
        if (rejectedSince < 0) {
            rejectedSince = nowNanos;
        }
        return nowNanos - rejectedSince >= floodLimitNanos ? Outcome.DISCONNECT : Outcome.REJECTED;
    }

    /** Returns whether an {@code error} event may go out for a rejection now: at most one a second. */
    boolean mayReportRejection(long nowNanos) {
        if (errorEventAt != Long.MIN_VALUE && nowNanos - errorEventAt < NANOS_PER_SECOND) {
            return false;
        }
        errorEventAt = nowNanos;
        return true;
    }
}

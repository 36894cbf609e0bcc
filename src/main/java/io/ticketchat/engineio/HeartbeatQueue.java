package io.ticketchat.engineio;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat deadlines of one server's sessions on one event loop, served by one scheduled task in place of a
 * timer per session.
 *
 * <p>Two lists: sessions whose next ping is due (deadline: the ping's due time) and sessions that sent a ping and
 * wait for the pong (deadline: the due time plus the ping timeout). A session enters the first list with a due
 * time of now plus the ping interval, and the second when its ping goes out, in due-time order. Every session of a
 * server has the same interval and timeout, so both lists stay sorted by deadline when appended to, and the task
 * only ever looks at their heads. The links are fields of {@link EngineIoSession}, so an entry costs no object of
 * its own. One task, scheduled at the earliest head deadline, sends the pings that are due and closes the sessions
 * whose pong is late.
 *
 * <p>Owner: the {@link EngineIoServer}, one per event loop that has had a session; it lives as long as the server.
 * Thread: the event loop only, like the sessions it serves. Bound: each open session is in at most one list, and
 * leaves it on every kind of release.
 */
final class HeartbeatQueue {
    private final EventLoop eventLoop;
    private final long pingTimeoutNanos;
    private final SessionList awaitingPing = new SessionList(EngineIoSession.AWAITING_PING);
    private final SessionList awaitingPong = new SessionList(EngineIoSession.AWAITING_PONG);
    private ScheduledFuture<?> wakeUp;
    private long wakeUpAtNanos;

    HeartbeatQueue(EventLoop eventLoop, EngineIoOptions options) {
        this.eventLoop = eventLoop;
        this.pingTimeoutNanos = options.pingTimeout().toNanos();
    }

    /** Appends a session whose next ping is due at its {@link EngineIoSession#pingDueNanos()}. */
    void awaitPing(EngineIoSession session) {
        remove(session);
        awaitingPing.append(session);
        wakeUpBy(session.pingDueNanos());
    }

    /** Appends a session that sent its ping and waits for the pong until the ping timeout after the due time. */
    void awaitPong(EngineIoSession session) {
        remove(session);
        awaitingPong.append(session);
        wakeUpBy(pongDeadlineNanos(session));
    }

    /** Takes the session out of its list, if it is in one. */
    void remove(EngineIoSession session) {
        if (session.heartbeatList == EngineIoSession.AWAITING_PING) {
            awaitingPing.remove(session);
        } else if (session.heartbeatList == EngineIoSession.AWAITING_PONG) {
            awaitingPong.remove(session);
        }
    }

    /**
     * Runs the deadlines that passed, then waits for the next one. Each step reads the heads again, because a
     * session that closes may take other sessions out of the lists.
     */
    private void run() {
        wakeUp = null;
        long now = System.nanoTime();
        while (awaitingPing.head != null && now - awaitingPing.head.pingDueNanos() >= 0) {
            EngineIoSession session = awaitingPing.head;
            awaitingPing.remove(session);
            session.onPingDue();
        }
        while (awaitingPong.head != null && now - pongDeadlineNanos(awaitingPong.head) >= 0) {
            EngineIoSession session = awaitingPong.head;
            awaitingPong.remove(session);
            session.onPongDeadline();
        }
        if (awaitingPing.head != null) {
            wakeUpBy(awaitingPing.head.pingDueNanos());
        }
        if (awaitingPong.head != null) {
            wakeUpBy(pongDeadlineNanos(awaitingPong.head));
        }
    }

    private long pongDeadlineNanos(EngineIoSession session) {
        return session.pingDueNanos() + pingTimeoutNanos;
    }

    /** Makes sure the task runs no later than {@code deadlineNanos}. */
    private void wakeUpBy(long deadlineNanos) {
        if (wakeUp != null && deadlineNanos - wakeUpAtNanos >= 0) {
            return;
        }
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        wakeUpAtNanos = deadlineNanos;
        long delayNanos = Math.max(0, deadlineNanos - System.nanoTime());
        wakeUp = eventLoop.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** A list of sessions in append order, linked through their heartbeat fields. */
    private static final class SessionList {
        private final byte id;
        private EngineIoSession head;
        private EngineIoSession tail;

        SessionList(byte id) {
            this.id = id;
        }

        void append(EngineIoSession session) {
            session.heartbeatList = id;
            if (tail == null) {
                head = session;
            } else {
                tail.heartbeatNext = session;
                session.heartbeatPrevious = tail;
            }
            tail = session;
        }

        void remove(EngineIoSession session) {
            EngineIoSession previous = session.heartbeatPrevious;
            EngineIoSession next = session.heartbeatNext;
            if (previous != null) {
                previous.heartbeatNext = next;
            } else {
                head = next;
            }
            if (next != null) {
                next.heartbeatPrevious = previous;
            } else {
                tail = previous;
            }
            session.heartbeatPrevious = null;
            session.heartbeatNext = null;
            session.heartbeatList = EngineIoSession.NO_HEARTBEAT;
        }
    }
}

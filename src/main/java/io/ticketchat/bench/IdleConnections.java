package io.ticketchat.bench;

import java.io.IOException;

/**
 * Connections that join their rooms and then stay idle, as the idle and scale benchmarks need them. They are
 * held either in the bench process ({@link LocalConnections}) or in child processes
 * ({@link ClientProcesses}), because one process may have only so many open files. Closing closes them all.
 */
interface IdleConnections extends AutoCloseable {
    /**
     * Opens connections {@code from} (inclusive) to {@code to} (exclusive), connection {@code k} joining room
     * {@code k / 10}, at most {@code window} handshakes at once in all, and returns once each one joined or
     * failed. The rooms must already be open.
     *
     * @throws IOException if the connections could not be opened within {@code timeoutMillis}
     */
    void open(int from, int to, int window, long timeoutMillis) throws IOException, InterruptedException;

    /** Returns the number of connections that joined their room and are still open. */
    int openCount() throws IOException, InterruptedException;

    /** Returns the number of connections that failed to connect or join, over every {@link #open} call. */
    int failures();

    @Override
    void close() throws IOException;
}

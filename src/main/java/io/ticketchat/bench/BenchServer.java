package io.ticketchat.bench;

import java.io.IOException;

/**
 * A server under test as the benchmarks see it: where it listens and how much memory it uses. The bench
 * implements it with a child process ({@link ServerProcess}), and a test may implement it with a server in
 * its own JVM.
 */
interface BenchServer {
    /** Returns the name used in results and output lines: {@code ticketchat} or {@code node}. */
    String name();

    /** Returns the port on 127.0.0.1 for Socket.IO and the REST API. */
    int port();

    /** Returns the resident set size of the server's process, in bytes. */
    long rssBytes() throws IOException;

    /** Runs a full GC and returns the heap in use after it, in bytes, for a JVM only. */
    long heapAfterGcBytes() throws IOException, InterruptedException;

    /** Returns the heap's class histogram as {@code jcmd GC.class_histogram} prints it, for a JVM only. */
    String classHistogram() throws IOException, InterruptedException;
}

package io.ticketchat.bench;

import io.ticketchat.testsupport.TestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/** A test server in this JVM as the benchmarks see a server: memory is this JVM's. */
final class InProcessServer implements BenchServer {
    private final TestServer server;

    InProcessServer(TestServer server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "ticketchat";
    }

    @Override
    public int port() {
        return server.server().port();
    }

    @Override
    public long rssBytes() throws IOException {
        return ServerProcess.rssBytes("self");
    }

    @Override
    public long heapAfterGcBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public String classHistogram() {
        throw new UnsupportedOperationException("no class histogram of the test JVM");
    }
}

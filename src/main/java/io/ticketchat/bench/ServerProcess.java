package io.ticketchat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, started as a child process with its output in a log file. It is stopped by its own
 * PID (SIGTERM, then SIGKILL after a grace period) when closed and, as a last resort, by a JVM shutdown hook,
 * so a failed run leaves nothing behind.
 */
final class ServerProcess implements BenchServer, AutoCloseable {
    // One line per heap (G1) or per generation (Serial, Parallel): "... total 253952K, used 80004K [...".
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final String name;
    private final Process process;
    private final int port;
    private final Thread killOnExit;

    private ServerProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.killOnExit = new Thread(process::destroyForcibly, "bench-stop-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code command} in {@code workDir} and waits until 127.0.0.1:{@code port} accepts connections. */
    static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
            Path log, int port, long startTimeoutMillis) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        ServerProcess server = new ServerProcess(name, builder.start(), port);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startTimeoutMillis);
        while (!server.accepts()) {
            if (!server.process.isAlive()) {
                server.close();
                throw new IOException(name + " exited with " + server.process.exitValue() + " at start; see " + log);
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IOException(name + " did not listen on port " + port + " within "
                        + startTimeoutMillis + " ms; see " + log);
            }
            Thread.sleep(100);
        }
        return server;
    }

    @Override
    public String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public int port() {
        return port;
    }

    /** Resident set size from /proc/PID/status, in bytes. */
    @Override
    public long rssBytes() throws IOException {
        return rssBytes(Long.toString(pid()));
    }

    /** Returns the resident set size of process {@code pid} ({@code self} for this one), in bytes. */
    static long rssBytes(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    /** Runs a full GC in the JVM with jcmd and returns the heap in use after it (all generations), in bytes. */
    @Override
    public long heapAfterGcBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("cannot read the used heap from jcmd GC.heap_info output: " + info.strip());
        }
        return kib * 1024;
    }

    /** Returns the heap's class histogram as jcmd prints it; counting live objects runs a full GC first. */
    @Override
    public String classHistogram() throws IOException, InterruptedException {
        return jcmd("GC.class_histogram");
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + command + " failed for pid " + pid() + ": " + output);
        }
        return output;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running and will kill the process
        }
    }
}

package io.ticketchat.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Idle connections held by child JVMs ({@link ConnectionHolder}) started from the bench's own class path, so
 * that the connections are not bounded by the open-file limit of one process. Each {@link #open} range is
 * split into one contiguous part per process, and each process gets its share of the handshake window. The
 * children start at the first {@link #open}, after the rooms are open, because the ticket ids go to them in a
 * file written then.
 *
 * <p>This class owns the children. {@link #close} closes their standard input, which makes them close their
 * connections and exit, and kills by PID any that have not exited after a grace period. A failed command
 * kills them all at once, and a JVM shutdown hook kills any child still running. If the bench process is
 * killed without running its hooks, its children exit because their standard input closes.
 */
final class ClientProcesses implements IdleConnections {
    private static final long REPLY_MARGIN_MILLIS = 30_000;
    private static final long COUNT_TIMEOUT_MILLIS = 30_000;
    private static final long EXIT_GRACE_MILLIS = 15_000;
    private static final long KILL_WAIT_MILLIS = 5_000;
    private static final long PROGRESS_PRINT_MILLIS = 10_000;

    private final BenchTarget target;
    private final String secret;
    private final int processes;
    private final int threads;
    private final int sourceAddresses;
    private final Duration holdLimit;
    private final List<Child> children = new CopyOnWriteArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "bench-stop-client-processes");
    private Path ticketsFile;
    private int failures;

    /**
     * Prepares {@code processes} client processes for {@code target}, none of which starts before the first
     * {@link #open}. Each has {@code threads} event loop threads, spreads its connections over
     * {@code sourceAddresses} loopback addresses as {@link BenchClient} does, and exits on its own once
     * {@code holdLimit} has passed.
     */
    ClientProcesses(BenchTarget target, String secret, int processes, int threads, int sourceAddresses,
            Duration holdLimit) {
        if (processes < 1) {
            throw new IllegalArgumentException("client processes must be at least 1, not " + processes);
        }
        this.target = target;
        this.secret = secret;
        this.processes = processes;
        this.threads = threads;
        this.sourceAddresses = sourceAddresses;
        this.holdLimit = holdLimit;
    }

    /** Returns the PIDs of the started children, in start order. */
    List<Long> pids() {
        return children.stream().map(child -> child.process.pid()).toList();
    }

    @Override
    public void open(int from, int to, int window, long timeoutMillis) throws IOException, InterruptedException {
        try {
            if (children.isEmpty()) {
                start();
            }
            int[] bounds = split(from, to, processes);
            int windowPerProcess = Math.max(1, window / processes);
            for (int i = 0; i < processes; i++) {
                children.get(i).send("open " + bounds[i] + " " + bounds[i + 1] + " " + windowPerProcess + " "
                        + timeoutMillis);
            }
            awaitHeld(timeoutMillis + REPLY_MARGIN_MILLIS, to - from);
        } catch (IOException | RuntimeException | InterruptedException e) {
            killAll();
            throw e;
        }
    }

    @Override
    public int openCount() throws IOException, InterruptedException {
        if (children.isEmpty()) {
            return 0;
        }
        try {
            for (Child child : children) {
                child.send("count");
            }
            return awaitHeld(COUNT_TIMEOUT_MILLIS, 0);
        } catch (IOException | RuntimeException | InterruptedException e) {
            killAll();
            throw e;
        }
    }

    @Override
    public int failures() {
        return failures;
    }

    /**
     * Returns the bounds of {@code parts} contiguous, nearly equal parts of {@code from} to {@code to}: part
     * {@code i} runs from {@code bounds[i]} (inclusive) to {@code bounds[i + 1]} (exclusive).
     */
    static int[] split(int from, int to, int parts) {
        int[] bounds = new int[parts + 1];
        for (int i = 0; i <= parts; i++) {
            bounds[i] = from + (int) ((long) (to - from) * i / parts);
        }
        return bounds;
    }

    private void start() throws IOException {
        ticketsFile = Files.createTempFile("ticketchat-bench-tickets-", ".txt");
        // close() deletes it, and this covers a bench process stopped by a signal before close() ran.
        ticketsFile.toFile().deleteOnExit();
        Files.write(ticketsFile, target.ticketIds());
        Runtime.getRuntime().addShutdownHook(killOnExit);
        for (int i = 0; i < processes; i++) {
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put(ConnectionHolder.SECRET_ENV, secret);
            children.add(new Child(i + 1, builder.start()));
        }
        System.out.printf("%s: started %d client processes, pids %s%n", target.server().name(), processes,
                pids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    }

    private List<String> command() {
        String classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .stream()
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        // HotSpot prints its warnings on standard output unless DisplayVMOutputToStderr is set, and a child's
        // standard output carries report lines only.
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+DisplayVMOutputToStderr", "-cp", classPath, ConnectionHolder.class.getName(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(target.server().port()),
                "--tickets", ticketsFile.toString(),
                "--source-addresses", Integer.toString(sourceAddresses),
                "--threads", Integer.toString(threads),
                "--max-hold-seconds", Long.toString(holdLimit.toSeconds()));
    }

    /**
     * Waits for one {@code held} reply from every child within {@code timeoutMillis}, printing their progress
     * every ten seconds, and returns the sum of their open connections.
     *
     * @throws IOException if a child reports an error, exits, or does not reply in time
     */
    private int awaitHeld(long timeoutMillis, int opening) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long nextPrint = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROGRESS_PRINT_MILLIS);
        int open = 0;
        int failed = 0;
        for (Child child : children) {
            HolderReport reply = null;
            while (reply == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(child + " did not reply within " + timeoutMillis + " ms");
                }
                reply = child.replies.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (opening > 0 && System.nanoTime() > nextPrint) {
                    printProgress(opening);
                    nextPrint += TimeUnit.MILLISECONDS.toNanos(PROGRESS_PRINT_MILLIS);
                }
            }
            if (reply.kind() != HolderReport.Kind.HELD) {
                throw new IOException(child + " failed: " + reply.message());
            }
            open += reply.connections();
            failed += reply.failures();
        }
        failures = failed;
        return open;
    }

    private void printProgress(int opening) {
        int joined = 0;
        int failed = 0;
        for (Child child : children) {
            HolderReport progress = child.progress;
            if (progress != null) {
                joined += progress.connections();
                failed += progress.failures();
            }
        }
        System.out.printf("%s: client processes joined %d connections, %d failed; this step opens %d%n",
                target.server().name(), joined, failed, opening);
    }

    /**
     * Closes every child's standard input, waits for them to exit and kills those that do not. An interrupt
     * skips the wait, kills them at once and stays set.
     */
    @Override
    public void close() throws IOException {
        for (Child child : children) {
            child.closeInput();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_GRACE_MILLIS);
        try {
            for (Child child : children) {
                long left = Math.max(0, deadline - System.nanoTime());
                child.process.waitFor(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killAll();
        List<Child> running = children.stream().filter(child -> child.process.isAlive()).toList();
        children.clear();
        if (ticketsFile != null) {
            Files.deleteIfExists(ticketsFile);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running and kills the children
        }
        // After an interrupt, killAll sends SIGKILL without waiting, so a child may not have exited yet.
        if (!running.isEmpty() && !Thread.currentThread().isInterrupted()) {
            throw new IOException("client processes still running after SIGKILL: " + running);
        }
    }

    /** Sends SIGTERM to each running child by its PID, then SIGKILL to any still running after five seconds. */
    private void killAll() {
        children.forEach(child -> child.process.destroy());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MILLIS);
        for (Child child : children) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!child.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    child.process.destroyForcibly().waitFor(KILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                child.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One child: commands go to its standard input, and a reader thread turns its standard output into the
     * latest progress report and a queue of replies. The queue ends with an error once the output closes.
     */
    private static final class Child {
        private final int number;
        private final Process process;
        private final Writer commands;
        private final BlockingQueue<HolderReport> replies = new LinkedBlockingQueue<>();
        private volatile HolderReport progress;

        Child(int number, Process process) {
            this.number = number;
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readReports, "bench-client-process-" + number);
            reader.setDaemon(true);
            reader.start();
        }

        void send(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        void closeInput() {
            try {
                commands.close();
            } catch (IOException e) {
                // The child has exited and closed the pipe, so there is nothing left to signal.
            }
        }

        private void readReports() {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    accept(line);
                }
            } catch (IOException e) {
                replies.add(HolderReport.error("cannot read the output: " + e.getMessage()));
            }
            replies.add(HolderReport.error("the output closed" + exitDescription()));
        }

        private void accept(String line) {
            HolderReport report;
            try {
                report = HolderReport.parse(line);
            } catch (IllegalArgumentException e) {
                report = HolderReport.error(e.getMessage());
            }
            if (report.kind() == HolderReport.Kind.PROGRESS) {
                progress = report;
            } else {
                replies.add(report);
            }
        }

        private String exitDescription() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? " and it exited with code " + process.exitValue() : "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        @Override
        public String toString() {
            return "client process " + number + " (pid " + process.pid() + ")";
        }
    }
}

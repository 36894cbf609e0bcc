package io.ticketchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A client process of the bench: holds idle connections for the bench process, which starts it with
 * {@code java -cp JAR io.ticketchat.bench.ConnectionHolder} when one process's open-file limit is not enough
 * (see {@link ClientProcesses}). The JWT secret comes from the environment variable {@value #SECRET_ENV},
 * so it never shows in the process list. The ticket ids come from a file, one per line, room 0 first.
 *
 * <p>Commands arrive on standard input, one per line:
 * <ul>
 *   <li>{@code open FROM TO WINDOW TIMEOUT_MS}: open connections FROM (inclusive) to TO (exclusive), each
 *       joining room {@code k / 10} as {@link BenchRooms#connectAndJoin} does, with at most WINDOW
 *       handshakes at once, within TIMEOUT_MS milliseconds;</li>
 *   <li>{@code count}: report how many connections are still open.</li>
 * </ul>
 * The process replies to each command with one {@code held} line. {@link HolderReport} lists the lines it
 * writes on standard output, which carries nothing else (logging goes to standard error).
 *
 * <p>The process closes its connections and exits when standard input closes (exit code 0, also when the
 * bench process dies), on an error (1), on invalid options (2), or when {@code --max-hold-seconds} have
 * passed since it started (3), so that a stuck bench process cannot leave it running.
 */
@Command(
        name = "connection-holder",
        mixinStandardHelpOptions = true,
        description = "Hold idle bench connections for the bench process; commands on stdin, reports on stdout.")
public final class ConnectionHolder implements Callable<Integer> {
    /** Environment variable with the JWT secret the server under test shares. */
    static final String SECRET_ENV = "TICKETCHAT_BENCH_SECRET";
    static final int EXIT_ERROR = 1;
    static final int EXIT_INVALID_OPTIONS = 2;
    static final int EXIT_HOLD_LIMIT = 3;
    private static final long PROGRESS_INTERVAL_SECONDS = 2;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address.")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Option(names = "--tickets", required = true,
            description = "File of ticket ids, one per line; line r is room r.")
    Path ticketsFile;

    @Option(names = "--source-addresses", defaultValue = "8",
            description = "Loopback source addresses to spread connections over, from 127.0.0.2 up.")
    int sourceAddresses;

    @Option(names = "--threads", defaultValue = "2", description = "Event loop threads of the client.")
    int threads;

    @Option(names = "--max-hold-seconds", required = true,
            description = "Seconds after which the process closes its connections and exits in any case.")
    long maxHoldSeconds;

    private final PrintStream reports;

    ConnectionHolder(PrintStream reports) {
        this.reports = reports;
    }

    /** Runs the client process; standard output is kept for report lines and everything else goes to stderr. */
    public static void main(String[] args) {
        PrintStream reports = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        System.exit(new CommandLine(new ConnectionHolder(reports)).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        String secret = System.getenv(SECRET_ENV);
        if (secret == null || secret.isBlank()) {
            report(HolderReport.error("missing environment variable " + SECRET_ENV + " with the JWT secret"));
            return EXIT_INVALID_OPTIONS;
        }
        BenchRooms rooms = new BenchRooms(secret);
        try {
            Files.readAllLines(ticketsFile).stream().map(String::strip).filter(id -> !id.isEmpty())
                    .forEach(rooms::add);
        } catch (IOException e) {
            report(HolderReport.error("cannot read the tickets file " + ticketsFile + ": " + e.getMessage()));
            return EXIT_INVALID_OPTIONS;
        }
        startHoldLimit();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "holder-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (BenchClient client = new BenchClient(host, port, threads, sourceAddresses);
                LocalConnections held = new LocalConnections(rooms, client)) {
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                execute(line.strip(), rooms, held, progress);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            report(HolderReport.error(e.getMessage() != null ? e.getMessage() : e.toString()));
            return EXIT_ERROR;
        } finally {
            progress.shutdownNow();
        }
    }

    private void execute(String command, BenchRooms rooms, LocalConnections held,
            ScheduledExecutorService progress) throws InterruptedException {
        String[] fields = command.split(" ");
        if (fields[0].equals("count") && fields.length == 1) {
            report(HolderReport.held(held.openCount(), held.failures()));
            return;
        }
        if (!fields[0].equals("open") || fields.length != 5) {
            throw new IllegalArgumentException("unknown command \"" + command
                    + "\": expected open FROM TO WINDOW TIMEOUT_MS, or count");
        }
        OpenCommand open = OpenCommand.parse(command, fields);
        int lastRoom = BenchRooms.roomsFor(open.to()) - 1;
        if (lastRoom >= rooms.size()) {
            throw new IllegalArgumentException("connection " + (open.to() - 1) + " needs room " + lastRoom
                    + " but the tickets file has " + rooms.size() + " rooms");
        }
        ScheduledFuture<?> reporting = progress.scheduleAtFixedRate(
                () -> report(HolderReport.progress(held.joined(), held.failures())),
                PROGRESS_INTERVAL_SECONDS, PROGRESS_INTERVAL_SECONDS, TimeUnit.SECONDS);
        try {
            held.open(open.from(), open.to(), open.window(), open.timeoutMillis());
        } finally {
            reporting.cancel(false);
        }
        report(HolderReport.held(held.openCount(), held.failures()));
    }

    /** Exits the process once the hold limit has passed, whatever the main thread is doing. */
    private void startHoldLimit() {
        Thread limit = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxHoldSeconds));
            } catch (InterruptedException e) {
                return;
            }
            report(HolderReport.error("hold limit of " + maxHoldSeconds + " s passed; closing the connections"));
            System.exit(EXIT_HOLD_LIMIT);
        }, "holder-hold-limit");
        limit.setDaemon(true);
        limit.start();
    }

    private void report(HolderReport report) {
        reports.println(report.toLine());
    }

    /** The fields of an {@code open FROM TO WINDOW TIMEOUT_MS} command. */
    private record OpenCommand(int from, int to, int window, long timeoutMillis) {
        /** Parses the five fields of {@code command}; the first one is {@code open}. */
        static OpenCommand parse(String command, String[] fields) {
            try {
                OpenCommand open = new OpenCommand(Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                        Integer.parseInt(fields[3]), Long.parseLong(fields[4]));
                if (open.from >= 0 && open.to >= open.from && open.window >= 1 && open.timeoutMillis >= 1) {
                    return open;
                }
            } catch (NumberFormatException e) {
                // reported below, with the out-of-range values
            }
            throw new IllegalArgumentException("invalid open command \"" + command
                    + "\": FROM must be 0 or more, TO at least FROM, and WINDOW and TIMEOUT_MS at least 1");
        }
    }
}

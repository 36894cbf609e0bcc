package io.ticketchat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ticketchat bench}: starts TicketChat from its own jar and then the Node.js reference, one after the
 * other on 127.0.0.1, runs the same load against each and writes {@code results.json} and PNG plots. Each
 * benchmark gets a freshly started server with an empty data folder. Never part of {@code mvn test}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure TicketChat against the Node.js socket.io reference, side by side.")
public final class BenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long START_TIMEOUT_MILLIS = 60_000;
    /**
     * Time after which a client process closes its connections and exits even if the bench process is stuck.
     * By its timeouts, an idle run of the default four levels may take about 25 minutes. A run that passes
     * this limit fails with the client process's error.
     */
    private static final Duration CLIENT_HOLD_LIMIT = Duration.ofHours(2);

    /**
     * The JVM options docs/memory.md recommends for a node with many connections. G1 gives free heap back
     * after a collection down to 20 % free. It also starts a collection of its own after 5 s without one, so
     * an idle node's RSS follows its live heap instead of the largest heap it ever needed.
     */
    static final List<String> PRODUCTION_JVM_OPTIONS = List.of("-XX:+UseG1GC", "-XX:MinHeapFreeRatio=5",
            "-XX:MaxHeapFreeRatio=20", "-XX:G1PeriodicGCInterval=5000");

    @Option(names = "--jar", defaultValue = "target/ticketchat.jar", description = "TicketChat jar to start.")
    Path jar;

    @Option(names = "--node-dir", defaultValue = "bench/reference-node",
            description = "Folder of the Node.js reference; npm ci runs there when node_modules is missing.")
    Path nodeDir;

    @Option(names = "--out", defaultValue = "bench/out", description = "Folder for results, plots and logs.")
    Path out;

    @Option(names = "--benchmarks", split = ",", defaultValue = "idle,fanout,scale",
            description = "Benchmarks to run, in order: idle, fanout, scale, churn "
                    + "(scale runs on TicketChat only).")
    List<String> benchmarks;

    @Option(names = "--servers", split = ",", defaultValue = "ticketchat,node",
            description = "Servers to measure, in order: ticketchat, node.")
    List<String> servers;

    @Option(names = "--idle-levels", split = ",", defaultValue = "1000,5000,10000,15000",
            description = "Connection counts at which idle memory is read.")
    List<Integer> idleLevels;

    @Option(names = "--fanout-rates", split = ",",
            defaultValue = "100,200,400,600,800,1000,1500,2000,2500,3000,4000,5000,6000,8000",
            description = "Total send rates (messages per second over all rooms) to step through.")
    List<Integer> fanoutRates;

    @Option(names = "--step-seconds", defaultValue = "8", description = "Length of one fan-out step in seconds.")
    int stepSeconds;

    @Option(names = "--p99-limit-ms", defaultValue = "250",
            description = "A fan-out step whose p99 delivery latency passes this is not sustainable.")
    long p99LimitMillis;

    @Option(names = "--scale-connections", defaultValue = "19000",
            description = "Connections the scale benchmark opens; one client process may hold about 19,000 "
                    + "(see --client-processes).")
    int scaleConnections;

    @Option(names = "--scale-p99-limit-ms", defaultValue = "100",
            description = "p99 delivery latency a room must keep under the scale load.")
    long scaleP99LimitMillis;

    @Option(names = "--churn-cycles", defaultValue = "100000",
            description = "Connect, join, send and disconnect cycles the churn benchmark runs.")
    long churnCycles;

    @Option(names = "--churn-concurrency", defaultValue = "300", description = "Churn cycles running at once.")
    int churnConcurrency;

    @Option(names = "--churn-time-limit-seconds", defaultValue = "600",
            description = "The churn benchmark stops starting cycles after this many seconds.")
    long churnTimeLimitSeconds;

    @Option(names = "--jvm-defaults",
            description = "Start TicketChat with the JVM's default options instead of the production options "
                    + "of docs/memory.md.")
    boolean jvmDefaults;

    @Option(names = "--ticketchat-jvm-option",
            description = "JVM option for the TicketChat server, repeatable; for example "
                    + "-XX:StartFlightRecording=filename=rec.jfr,dumponexit=true to profile a run.")
    List<String> ticketchatJvmOptions = new ArrayList<>();

    @Option(names = "--client-threads", defaultValue = "2",
            description = "Event loop threads of the client, in each client process.")
    int clientThreads;

    @Option(names = "--client-processes", defaultValue = "1", paramLabel = "N|auto",
            description = "Processes that hold the idle connections of the idle and scale benchmarks. With 1 the "
                    + "bench process holds them. With more, child JVMs started from the same jar hold them and the "
                    + "bench process keeps only the scale probe room. auto starts as many as needed for none to hold "
                    + "more than --connections-per-process. One process may hold about 19,000 connections under an "
                    + "open-file limit of 20,000. The server under test is also one process with such a limit, so "
                    + "more client processes raise the total only where the server may open more files. "
                    + "Default: ${DEFAULT-VALUE}.")
    String clientProcesses;

    @Option(names = "--connections-per-process", defaultValue = "18000", paramLabel = "N",
            description = "With --client-processes auto, the maximum number of idle connections in one client "
                    + "process. Default: ${DEFAULT-VALUE}.")
    int connectionsPerProcess;

    @Option(names = "--source-addresses", defaultValue = "8",
            description = "Loopback source addresses to spread connections over, from 127.0.0.2 up.")
    int sourceAddresses;

    @Spec
    CommandSpec spec;

    private final String secret = newSecret();

    @Override
    public Integer call() throws Exception {
        validateClientProcesses();
        Files.createDirectories(out);
        installReference();
        ObjectNode results = JSON.createObjectNode();
        results.set("machine", machine());
        results.put("startedAt", Instant.now().toString());
        Map<String, List<IdleMemoryBenchmark.Level>> idle = new LinkedHashMap<>();
        Map<String, FanoutBenchmark.Result> fanout = new LinkedHashMap<>();
        Map<String, ScaleBenchmark.Result> scale = new LinkedHashMap<>();
        Map<String, ChurnBenchmark.Result> churn = new LinkedHashMap<>();
        for (String benchmark : benchmarks) {
            for (String server : servers) {
                if (benchmark.equals("scale") && !server.equals("ticketchat")) {
                    continue;
                }
                try (ServerProcess process = start(server, benchmark)) {
                    BenchTarget target = new BenchTarget(process, secret);
                    try (BenchClient client = new BenchClient("127.0.0.1", process.port(), clientThreads,
                            sourceAddresses)) {
                        switch (benchmark) {
                            case "idle" -> idle.put(server, runIdle(target, client, server.equals("ticketchat")));
                            case "fanout" -> fanout.put(server, new FanoutBenchmark(100, stepSeconds, p99LimitMillis)
                                    .run(target, client, fanoutRates));
                            case "scale" -> scale.put(server, runScale(target, client, server));
                            case "churn" -> churn.put(server, new ChurnBenchmark(server.equals("ticketchat"),
                                    churnConcurrency, TimeUnit.SECONDS.toMillis(churnTimeLimitSeconds))
                                    .run(target, client, churnCycles));
                            default -> throw new IllegalArgumentException("unknown benchmark " + benchmark);
                        }
                    }
                }
                results.set("idle", JSON.valueToTree(idle));
                results.set("fanout", JSON.valueToTree(fanout));
                results.set("scale", JSON.valueToTree(scale));
                results.set("churn", JSON.valueToTree(churn));
                results.put("loadAverageAfter", loadAverage());
                JSON.writeValue(out.resolve("results.json").toFile(), results);
            }
        }
        if (!idle.isEmpty()) {
            BenchCharts.memory(idle, out.resolve("idle-memory.png"));
        }
        if (!fanout.isEmpty()) {
            BenchCharts.latency(fanout, out.resolve("fanout-latency.png"));
        }
        results.put("finishedAt", Instant.now().toString());
        JSON.writeValue(out.resolve("results.json").toFile(), results);
        System.out.println("results in " + out.resolve("results.json"));
        return 0;
    }

    private List<IdleMemoryBenchmark.Level> runIdle(BenchTarget target, BenchClient client, boolean isJvm)
            throws IOException, InterruptedException {
        int highest = idleLevels.get(idleLevels.size() - 1);
        try (IdleConnections held = idleConnections(target, client, highest)) {
            return new IdleMemoryBenchmark(isJvm, IdleMemoryBenchmark.SETTLE_MILLIS).run(target, held, idleLevels);
        }
    }

    private ScaleBenchmark.Result runScale(BenchTarget target, BenchClient client, String server)
            throws IOException, InterruptedException {
        int idle = Math.max(0, scaleConnections - BenchRooms.MEMBERS_PER_ROOM);
        try (IdleConnections held = idleConnections(target, client, idle)) {
            return new ScaleBenchmark(scaleP99LimitMillis, out.resolve(server + "-scale-class-histogram.txt"))
                    .run(target, client, held, scaleConnections);
        }
    }

    /** Returns where {@code connections} idle connections are held: here, or in client processes. */
    private IdleConnections idleConnections(BenchTarget target, BenchClient client, int connections) {
        int processes = clientProcessCount(connections);
        if (processes == 1) {
            return new LocalConnections(target.rooms(), client);
        }
        return new ClientProcesses(target, secret, processes, clientThreads, sourceAddresses, CLIENT_HOLD_LIMIT);
    }

    /** Returns the number of client processes for {@code connections} idle connections. */
    int clientProcessCount(int connections) {
        if (clientProcesses.equals("auto")) {
            return Math.max(1, (connections + connectionsPerProcess - 1) / connectionsPerProcess);
        }
        return Integer.parseInt(clientProcesses);
    }

    private void validateClientProcesses() {
        if (connectionsPerProcess < 1) {
            throw new ParameterException(spec.commandLine(),
                    "invalid --connections-per-process " + connectionsPerProcess + ": it must be at least 1");
        }
        if (clientProcesses.equals("auto")) {
            return;
        }
        try {
            if (Integer.parseInt(clientProcesses) >= 1) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below with the other invalid values
        }
        throw new ParameterException(spec.commandLine(),
                "invalid --client-processes " + clientProcesses + ": use a number of at least 1, or auto");
    }

    private ServerProcess start(String server, String benchmark) throws IOException, InterruptedException {
        int port = freePort();
        Path data = Files.createTempDirectory(out.toAbsolutePath(), server + "-" + benchmark + "-data-");
        Path log = out.resolve(server + "-" + benchmark + ".log").toAbsolutePath();
        return switch (server) {
            case "ticketchat" -> ServerProcess.start(server, ticketchatCommand(port, data),
                    Map.of("TICKETCHAT_JWT_SECRET", secret), Path.of("."), log, port, START_TIMEOUT_MILLIS);
            case "node" -> ServerProcess.start(server, List.of("node", "server.js"),
                    Map.of("JWT_SECRET", secret, "PORT", Integer.toString(port), "HOST", "127.0.0.1",
                            "DATA_DIR", data.toString()),
                    nodeDir, log, port, START_TIMEOUT_MILLIS);
            default -> throw new IllegalArgumentException("unknown server " + server);
        };
    }

    private List<String> ticketchatCommand(int port, Path data) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        if (!jvmDefaults) {
            command.addAll(PRODUCTION_JVM_OPTIONS);
        }
        command.addAll(ticketchatJvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", data.toString(),
                // Node's reference has no per-connection event limit. Lifting TicketChat's lets the
                // fan-out senders measure the pipeline, not the rate limiter.
                "--events-per-second", "100000", "--event-burst", "100000"));
        return command;
    }

    private void installReference() throws IOException, InterruptedException {
        if (Files.isDirectory(nodeDir.resolve("node_modules"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(nodeDir.toFile()).inheritIO().start();
        if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IOException("npm ci failed in " + nodeDir);
        }
    }

    private ObjectNode machine() throws IOException, InterruptedException {
        ObjectNode machine = JSON.createObjectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memTotal", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("node", output("node", "--version"));
        machine.put("commit", output("git", "rev-parse", "HEAD"));
        machine.put("loadAverageBefore", loadAverage());
        return machine;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}

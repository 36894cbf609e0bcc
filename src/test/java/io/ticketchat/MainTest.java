package io.ticketchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    private static final String SECRET = "s".repeat(40);

    @TempDir
    Path dataDir;

    @Test
    void unwritableDataFolderFailsWithOneLine() {
        Run run = serve("--jwt-secret", SECRET, "--data-dir", "/proc/ticketchat-test/data", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_START_FAILED);
        assertThat(run.err()).startsWith("failed to start: cannot create the database folder /proc/ticketchat-test");
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void unreachablePostgresqlFailsWithOneLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        Run run = serve("--jwt-secret", SECRET, "--data-dir", dataDir.toString(), "--port", "0",
                "--database-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/ticketchat");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_START_FAILED);
        assertThat(run.err()).startsWith("failed to start: database operation failed: open connection pool");
        assertThat(run.err()).contains("refused", "--database-url");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void portInUseClosesOpenedParts() throws Exception {
        long poolsBefore = databasePoolThreads();
        Run run;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            run = serve("--jwt-secret", SECRET, "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(taken.getLocalPort()));
        }

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_START_FAILED);
        assertThat(run.err()).contains("cannot listen");
        await().atMost(Duration.ofSeconds(10)).until(() -> databasePoolThreads() <= poolsBefore);
    }

    private static long databasePoolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().contains("housekeeper"))
                .count();
    }

    @Test
    void shortSecretIsInvalidConfiguration() {
        Run run = serve("--data-dir", dataDir.toString(), "--port", "0", "--jwt-secret", "short");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_INVALID_CONFIG);
        assertThat(run.err()).contains("JWT secret too short");
    }

    private static Run serve(String... flags) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main());
        command.setErr(new PrintWriter(err, true));
        String[] args = new String[flags.length + 1];
        args[0] = "serve";
        System.arraycopy(flags, 0, args, 1, flags.length);

        int exitCode = command.execute(args);
        return new Run(exitCode, err.toString());
    }

    private record Run(int exitCode, String err) {
    }
}

package dev.rnnplayground.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code rnn serve} in a separate JVM on the test's classpath, so a test can kill it the hard way
 * (SIGKILL) and start it again on the same data directory.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern ADDRESS = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/(\\?token=([0-9A-Za-z_-]+))?");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final String origin;
    private final String token;

    private ServerProcess(Process process) throws InterruptedException {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) output.add(line);
            } catch (IOException e) {
                // the process ended
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        Matcher found;
        try {
            found = Await.until(Duration.ofSeconds(30), this::address, m -> m != null || !process.isAlive());
        } catch (AssertionError e) {
            found = null;
        }
        if (found == null) {
            process.destroyForcibly();
            throw new AssertionError("the server did not start: " + String.join("\n", output));
        }
        this.origin = found.group(1);
        this.token = found.group(3);
    }

    private Matcher address() {
        for (String line : output) {
            Matcher m = ADDRESS.matcher(line);
            if (m.find()) return m;
        }
        return null;
    }

    /** Starts {@code rnn serve --port 0 --data dataDir} and waits until it listens. */
    public static ServerProcess start(Path dataDir) throws InterruptedException {
        return start(dataDir, Map.of());
    }

    /**
     * As {@link #start(Path)}, with more options ({@code "--token-file", "t.txt"}) and environment
     * variables; RNN_TOKEN is removed from the environment unless given here.
     */
    public static ServerProcess start(Path dataDir, Map<String, String> environment, String... options)
            throws InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--data", dataDir.toString()));
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("RNN_TOKEN");
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        try {
            return new ServerProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT} */
    public String origin() {
        return origin;
    }

    /** The token in the address the server printed, or null when it printed none. */
    public String token() {
        return token;
    }

    /** A client for this server that sends its token. */
    public HttpJson api() {
        return new HttpJson(origin, token);
    }

    /** The command line the process was started with, as {@code ps} shows it to every user. */
    public String commandLine() {
        return process.info().commandLine().orElse("");
    }

    public List<String> output() {
        return output;
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the shutdown hook stops the server cleanly. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}

package dev.rnnplayground.server.job.postgres;

import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code rnn worker} in a JVM of its own on the test's classpath, with short timeouts (heartbeat
 * 1 s, dead after 4 missed), so a test can kill it (SIGKILL), freeze it (SIGSTOP) and thaw it
 * (SIGCONT) as an operating system would. Its log is kept, at INFO, for the test to read.
 */
final class WorkerProcess implements AutoCloseable {

    static final double HEARTBEAT_SECONDS = 1;
    static final int MISSED_HEARTBEATS = 4;

    private final String name;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private WorkerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) output.add(line);
            } catch (IOException e) {
                // the process ended
            }
        }, "worker-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts worker {@code name} on {@code databaseUrl}; {@link #awaitReady()} waits until it polls the queue. */
    static WorkerProcess start(String name, String databaseUrl, Path scratch) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",   // the test classpath's logger is silent below warnings
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "worker",
                "--database", databaseUrl, "--data", scratch.toString(), "--name", name,
                "--heartbeat", Double.toString(HEARTBEAT_SECONDS), "--missed-heartbeats", Integer.toString(MISSED_HEARTBEATS),
                "--poll", "0.5"));
        try {
            return new WorkerProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the worker says it polls the queue; returns it. */
    WorkerProcess awaitReady() {
        try {
            Await.until(Duration.ofSeconds(60), () -> logged("is waiting for jobs") || !process.isAlive());
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw new AssertionError("worker " + name + " did not start:\n" + log(), e);
        }
        if (!process.isAlive()) throw new AssertionError("worker " + name + " ended at start:\n" + log());
        return this;
    }

    /** Its name in the queue ({@code picked_by}). */
    String name() {
        return name;
    }

    boolean logged(String text) {
        return output.stream().anyMatch(line -> line.contains(text));
    }

    /** The first line of its log that holds {@code text}, or null. */
    String lineWith(String text) {
        return output.stream().filter(line -> line.contains(text)).findFirst().orElse(null);
    }

    String log() {
        return String.join("\n", output);
    }

    /** SIGKILL: no shutdown hook, no last checkpoint, its connections cut. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, as Ctrl-C or a service manager stops it; waits for it to end. Sent with kill, not
     * {@code Process.destroy()}, which closes our end of its output at once: its last lines would be lost.
     */
    void terminate() throws IOException, InterruptedException {
        signal("TERM");
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("worker " + name + " did not stop within 60 s:\n" + log());
        reader.join(5000);   // its last lines
    }

    /** Sends {@code kill -SIGNAL} (STOP, CONT). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
    }

    /** SIGTERM (after a SIGCONT, should it be frozen), then SIGKILL if it does not end within 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!process.isAlive()) return;
        signal("CONT");
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}

package dev.rnnplayground.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL database of its own for one test class, made before its first test:
 * {@code @RegisterExtension static final PostgresCluster DB = new PostgresCluster();}. The classes
 * of a run share one cluster, started by the first and deleted when the run ends (its start, an
 * initdb, costs 1.4 s; a database in it, a few milliseconds); each class gets a fresh database in
 * it, left there until the cluster goes. {@link #start()} and {@link #stop()} make a cluster of its own outside that lifecycle. The
 * work is done by {@code scripts/postgres.sh}, which probes and the command line share: Debian's
 * binaries, run as the {@code postgres} user when the tests run as root (PostgreSQL refuses root),
 * on a free port of 127.0.0.1. The script's watchdog stops the cluster should this JVM die first.
 */
public final class PostgresCluster implements BeforeAllCallback {

    private static final ExtensionContext.Namespace RUN = ExtensionContext.Namespace.create(PostgresCluster.class);
    private static final AtomicInteger CLASSES = new AtomicInteger();

    private int port;
    private Path dir;
    private String database = "rnn";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        PostgresCluster run = context.getRoot().getStore(RUN)
                .getOrComputeIfAbsent(RunCluster.class, k -> RunCluster.start(), RunCluster.class).cluster;
        port = run.port;
        dir = run.dir;
        database = "class_" + CLASSES.incrementAndGet();
        try (Connection c = run.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    /** The run's cluster, deleted when JUnit closes the root store at the end of the run. */
    private record RunCluster(PostgresCluster cluster) implements AutoCloseable {
        static RunCluster start() {
            PostgresCluster cluster = new PostgresCluster();
            try {
                cluster.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new RunCluster(cluster);
        }

        @Override
        public void close() throws Exception {
            cluster.stop();
        }
    }

    /** Starts the cluster; for use outside JUnit's lifecycle (a probe's main), paired with {@link #stop()}. */
    public void start() throws IOException, InterruptedException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String out = script("start", Integer.toString(port), Long.toString(ProcessHandle.current().pid()));
        dir = Path.of(out.strip());
    }

    /** Stops the cluster at once and deletes its files. */
    public void stop() throws IOException, InterruptedException {
        if (dir != null) script("stop", dir.toString());
        dir = null;
    }

    /** Stops the database server and keeps its files: clients see it go away, as in a restart. */
    public void down() throws IOException, InterruptedException {
        script("down", dir.toString());
    }

    /** Starts it again after {@link #down()}, on the same port, with everything it held. */
    public void up() throws IOException, InterruptedException {
        script("up", dir.toString(), Integer.toString(port));
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE?user=rnn} */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=rnn";
    }

    /** The address {@code rnn serve --database} and {@code rnn worker --database} take. */
    public String databaseUrl() {
        return "postgresql://rnn@127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** The cluster's directory (data, socket and log), or null once stopped. */
    public Path dir() {
        return dir;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    private static String script(String... args) throws IOException, InterruptedException {
        Path script = projectRoot().resolve("scripts/postgres.sh");
        String[] command = new String[args.length + 1];
        command[0] = script.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Path errors = Files.createTempFile("postgres-sh", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("scripts/postgres.sh " + args[0] + " took over 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("scripts/postgres.sh " + String.join(" ", args) + " failed:\n" + Files.readString(errors));
            }
            return out;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** The folder holding {@code scripts/}, found upwards from where the tests run. */
    static Path projectRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/postgres.sh"))) return d;
        }
        throw new UncheckedIOException(new IOException("scripts/postgres.sh not found above " + Path.of("").toAbsolutePath()));
    }
}

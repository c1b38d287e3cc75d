package dev.rnnplayground.server.cli;

import dev.rnnplayground.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code rnn} command line for tests: {@link #run} calls it in this JVM, as {@code Main.main}
 * does but without {@code System.exit}, with stdout and stderr captured; {@link #inNewJvm} starts
 * {@code java ... Main} as a user's shell does, for the few checks of what only a process shows
 * (its exit status, a stdout with nothing but the program's output).
 */
public final class Rnn {

    private Rnn() {
    }

    /** What one run of {@code rnn} did: its exit code, stdout and stderr. */
    public record Run(int exit, String out, String err) {
        String errLine() {
            return err.strip();
        }
    }

    /**
     * Runs {@code rnn args} in this JVM. System.out and System.err are swapped for the run (the
     * commands print to them, picocli to its own writers, set to the same buffers), so runs must not
     * overlap: the method is synchronized, and tests of this JVM run one after another.
     */
    public static synchronized Run run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        try {
            System.setOut(outStream);
            System.setErr(errStream);
            int exit = Main.commandLine()
                    .setOut(new PrintWriter(outStream, true))
                    .setErr(new PrintWriter(errStream, true))
                    .execute(args);
            outStream.flush();
            errStream.flush();
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** Runs {@code rnn args} in a new JVM on the test classpath; output files go to {@code dir}. */
    static Run inNewJvm(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rnn " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

package dev.rnnplayground.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs for the tests that need a disk to fill up or turn read-only under a running server.
 * Mounting needs root; {@link #mount} says whether it worked, so a test can be skipped elsewhere.
 */
public final class Tmpfs {

    public static final String NEEDS_ROOT = "skipped: this machine does not let the test mount a tmpfs (needs root)";

    private Tmpfs() {
    }

    /** Mounts a tmpfs with {@code options} (e.g. "size=4m") at {@code mountPoint}; false if not allowed. */
    public static boolean mount(Path mountPoint, String options) throws IOException, InterruptedException {
        return run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString()) == 0;
    }

    public static void unmount(Path mountPoint) throws IOException, InterruptedException {
        run("umount", mountPoint.toString());
    }

    /** Remounts "ro" or "rw"; a file held open for writing can make a read-only remount busy for a moment. */
    public static void remount(Path mountPoint, String mode) {
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return run("mount", "-o", "remount," + mode, mountPoint.toString()) == 0;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }, ok -> ok);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}

package dev.rnnplayground.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, finding 4: the launcher bounds the JVM's memory (heap from --memory, direct buffers,
 * malloc arenas). The option is checked before anything is built or started.
 */
class LauncherMemoryTest {

    private static final Path LAUNCHER = Path.of("..", "rnn").toAbsolutePath().normalize();

    @Test
    void theLauncherSetsTheHeapDirectMemoryAndArenas() throws Exception {
        String script = Files.readString(LAUNCHER);
        assertTrue(script.contains("-Xmx\"$memory\""), "the heap comes from --memory");
        assertTrue(script.contains("-XX:MaxDirectMemorySize="), "direct buffers are bounded");
        assertTrue(script.contains("MALLOC_ARENA_MAX"), "malloc arenas are bounded");
        assertTrue(script.contains("RNN_MEMORY:-4g"), "the stated default, 4g");
    }

    @Test
    void aMemorySizeThatIsNotASizeIsRefusedBeforeAnythingRuns() throws Exception {
        Process p = new ProcessBuilder(LAUNCHER.toString(), "--memory", "lots", "serve").redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the launcher answered");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("--memory takes a heap size such as 4g"), out);
    }
}

package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only one, on a small tmpfs mounted for the test. Mounting needs root; where
 * it is not allowed the tests are skipped with a message saying so.
 */
class DiskTest {

    @TempDir
    Path mountPoint;
    private boolean mounted;

    private void mount(String options) throws Exception {
        int exit = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString());
        assumeTrue(exit == 0, "skipped: this machine does not let the test mount a tmpfs (needs root)");
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) run("umount", mountPoint.toString());
    }

    @Test
    void aFullDiskIsA507AndNothingIsLeftHalfWritten() throws Exception {
        mount("size=3m");
        Path data = mountPoint.resolve("data");
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            byte[] oneMb = "to be or not to be\n".repeat(55_000).getBytes(StandardCharsets.UTF_8);
            String first = api.postText("/api/corpora?name=first", oneMb).get("id").asText();
            Api.Reply full = null;
            for (int i = 0; i < 4 && (full == null || full.status() == 201); i++) {
                full = api.postText("/api/corpora?name=more", oneMb);
            }
            String detail = problemDetail(full, 507);
            assertTrue(detail.startsWith("The disk holding " + data.toAbsolutePath() + " is full"), detail);
            try (Stream<Path> entries = Files.list(data.resolve("corpora"))) {
                List<String> names = entries.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(n -> n.startsWith(".tmp-")), "half-written leftovers: " + names);
            }
            // space freed, the server goes on
            int listed = api.get("/api/corpora").json().size();
            assertEquals(204, api.delete("/api/corpora/" + first).status());
            assertEquals(listed - 1, api.get("/api/corpora").json().size());
            assertEquals(201, api.postText("/api/corpora?name=again", oneMb).status());
        });
    }

    @Test
    void aReadOnlyDataDirectoryStopsTheStartWithOneSentence() throws Exception {
        mount("size=1m");
        run("mount", "-o", "remount,ro", mountPoint.toString());
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setErr(new PrintWriter(err, true))
                .execute("serve", "--port", "0", "--no-token", "--data", mountPoint.resolve("data").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("rnn serve: cannot write to the data directory "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
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

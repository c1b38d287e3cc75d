package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.SafeTensors;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only one, on a small tmpfs mounted for the test: the API's answers, the
 * start, and a training job that cannot checkpoint. Mounting needs root; where
 * it is not allowed the tests are skipped with a message saying so.
 */
class DiskTest {

    @TempDir
    Path mountPoint;
    private boolean mounted;

    private void mount(String options) throws Exception {
        assumeTrue(Tmpfs.mount(mountPoint, options), Tmpfs.NEEDS_ROOT);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) Tmpfs.unmount(mountPoint);
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
            // the page uploads as multipart, whose parts over 1 MB Jetty stages on the same disk (it was a 400 "could not be read")
            byte[] staged = "to be or not to be\n".repeat(80_000).getBytes(StandardCharsets.UTF_8);
            assertEquals(detail, problemDetail(api.postMultipart("/api/corpora?name=more", "file", "more.txt", staged), 507));
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
        Tmpfs.remount(mountPoint, "ro");
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setErr(new PrintWriter(err, true))
                .execute("serve", "--port", "0", "--no-token", "--data", mountPoint.resolve("data").toString());
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("rnn serve: cannot write to the data directory "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void aJobWhoseCheckpointCannotBeWrittenOnAFullDiskTrainsOnAndReportsIt() throws Exception {
        mount("size=4m");
        Path filler = mountPoint.resolve("filler");
        trainThroughABrokenDisk(() -> fill(filler), () -> Files.delete(filler), "the disk holding %s is full");
    }

    @Test
    void aJobWhoseCheckpointCannotBeWrittenOnAReadOnlyDiskTrainsOnAndReportsIt() throws Exception {
        mount("size=4m");
        trainThroughABrokenDisk(() -> Tmpfs.remount(mountPoint, "ro"), () -> Tmpfs.remount(mountPoint, "rw"), "%s cannot be written (read-only or no permission)");
    }

    @Test
    void aJobThatFinishesOnAFullDiskWaitsUntilItsModelCanBeWritten() throws Exception {
        mount("size=4m");
        Path filler = mountPoint.resolve("filler");
        // 50,000 steps, about 7 s of this tiny network on a 2-core AMD EPYC: a quiet machine once
        // trained 20,000 between its first checkpoint and the disk filling up, and the job ended
        // before there was anything to refuse
        long steps = 50_000;
        withACheckpointedJob(steps, (api, data, jobId) -> {
            fill(filler);
            JsonNode waiting = awaitWarning(api, jobId, "The trained model");
            assertEquals(steps, waiting.get("step").asLong());
            assertEquals("The trained model could not be written: the disk holding " + data.toAbsolutePath() + " is full;"
                    + " the job tries again every 2 seconds, the last checkpoint is step " + waiting.get("checkpointStep")
                    + ".", waiting.get("warning").asText());

            Files.delete(filler);
            JsonNode done = TestTexts.awaitFinished(api, jobId, 60_000);
            assertEquals("done", done.get("status").asText(), done.toString());
            assertEquals(200, api.get("/api/models/" + done.get("modelId").asText()).status());
        });
    }

    @Test
    void aJobCancelledOnAFullDiskKeepsItsModelOnceTheDiskTakesIt() throws Exception {
        mount("size=4m");
        Path filler = mountPoint.resolve("filler");
        withACheckpointedJob(1_000_000, (api, data, jobId) -> {
            long checkpointed = api.get("/api/jobs/" + jobId).json().get("checkpointStep").asLong();
            fill(filler);
            assertEquals(200, api.postJson("/api/jobs/" + jobId + "/cancel", Map.of()).status());
            JsonNode waiting = awaitWarning(api, jobId, "The trained model");
            assertTrue(waiting.get("warning").asText().matches("The trained model could not be written: the disk holding "
                    + Pattern.quote(data.toAbsolutePath().toString()) + " is full; the job tries again every 2 seconds,"
                    + " the last checkpoint is step \\d+\\."), waiting.get("warning").asText());

            Files.delete(filler);
            JsonNode cancelled = TestTexts.awaitFinished(api, jobId, 60_000);
            assertEquals("cancelled", cancelled.get("status").asText(), cancelled.toString());
            JsonNode model = api.get("/api/models/" + cancelled.get("modelId").asText()).json();
            assertEquals(cancelled.get("step").asLong(), model.get("steps").asLong(), "the model of the step it was cancelled at");
            // the checkpoint at the cancel could not be written: Resume goes on from the last one that was
            long resumeFrom = cancelled.get("checkpointStep").asLong();
            assertTrue(resumeFrom >= checkpointed && resumeFrom < cancelled.get("step").asLong(), cancelled.toString());
            assertTrue(cancelled.get("warning").isNull());
        });
    }

    /**
     * Trains a job until it has a checkpoint, breaks the disk, and checks that the job trains on,
     * says which checkpoint it keeps, leaves no half-written file, and checkpoints again once the
     * disk is repaired.
     */
    private void trainThroughABrokenDisk(Step breakDisk, Step repairDisk, String reason) throws Exception {
        withACheckpointedJob(1_000_000, (api, data, jobId) -> {
            String job = "/api/jobs/" + jobId;
            breakDisk.run();
            JsonNode warned = awaitWarning(api, jobId, "Checkpoint at step");
            long kept = warned.get("checkpointStep").asLong();
            String warning = warned.get("warning").asText();
            assertTrue(warning.matches("Checkpoint at step \\d+ could not be written: "
                    + Pattern.quote(reason.formatted(data.toAbsolutePath())) + "; training continues, the last checkpoint"
                    + " is step " + kept + "\\."), warning);
            long failedAt = Long.parseLong(warning.replaceAll("^Checkpoint at step (\\d+).*", "$1"));
            Await.until(Duration.ofSeconds(60), () -> api.get(job).json().get("step").asLong(), step -> step > failedAt + 100);
            assertEquals("running", api.get(job).get("status").asText());
            Path jobDir = data.resolve("jobs").resolve(jobId);
            try (Stream<Path> entries = Files.list(jobDir)) {
                List<String> names = entries.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().noneMatch(n -> n.startsWith(".tmp-")), "half-written leftovers: " + names);
            }
            byte[] checkpoint = Files.readAllBytes(jobDir.resolve("checkpoint.safetensors"));
            assertEquals(Long.toString(kept), SafeTensors.read(checkpoint).metadata().get("step"));
            JsonNode history = api.get(job + "/history").json();
            assertTrue(StreamSupport.stream(history.spliterator(), false).anyMatch(e -> e.get("type").asText().equals("warning")
                    && e.get("data").get("message").asText().equals(warning)), history.toString());

            repairDisk.run();
            JsonNode recovered = Await.until(Duration.ofSeconds(60), () -> api.get(job).json(),
                    j -> j.path("warning").isNull() && j.get("checkpointStep").asLong() > kept);
            assertEquals("running", recovered.get("status").asText());
            assertEquals(200, api.postJson(job + "/cancel", Map.of()).status());
            TestTexts.awaitFinished(api, jobId, 60_000);
        });
    }

    /** What a test does with a server on the tmpfs and a job that has its first checkpoint. */
    private interface JobScenario {
        void run(Api api, Path data, String jobId) throws Exception;
    }

    /** Starts a server on the tmpfs and a small job of {@code steps} steps that checkpoints often; waits for its first checkpoint. */
    private void withACheckpointedJob(long steps, JobScenario scenario) {
        Path data = mountPoint.resolve("data");
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            Map<String, Object> spec = Map.of("corpusId", TestTexts.uploadVerse(api), "cell", "rnn", "hidden", 16,
                    "seqLength", 16, "batchSize", 2, "steps", steps, "evalEvery", 0, "sampleEvery", 0, "checkpointEvery", 10);
            String jobId = api.postJson("/api/jobs", spec).get("id").asText();
            Await.until(Duration.ofSeconds(60), () -> api.get("/api/jobs/" + jobId).json(), j -> j.get("checkpointStep").isNumber());
            scenario.run(api, data, jobId);
        });
    }

    /** Waits until the job warns with a message that starts with {@code prefix}; it must still be running. */
    private static JsonNode awaitWarning(Api api, String jobId, String prefix) {
        JsonNode job = Await.until(Duration.ofSeconds(120), () -> api.get("/api/jobs/" + jobId).json(),
                j -> j.path("warning").asText().startsWith(prefix) || !j.get("status").asText().equals("running"));
        assertEquals("running", job.get("status").asText(), job.toString());
        return job;
    }

    /** Something done to the disk. */
    private interface Step {
        void run() throws Exception;
    }

    /** Writes {@code file} until the disk has no page left. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(block);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
        }
    }
}

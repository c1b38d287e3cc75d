package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.HttpJson;
import dev.rnnplayground.server.ServerProcess;
import dev.rnnplayground.server.SseEvents;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.training.TrainingLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed with SIGKILL in the middle of training (an LSTM job, and a gpt job), then started again on the same
 * data directory: the job resumes from its last checkpoint and ends with exactly the weights of
 * an uninterrupted run.
 */
class ResumeAfterKillTest {

    static final long STEPS = 1500;
    static final int CHECKPOINT_EVERY = 50;

    @TempDir
    Path data;

    /** An LSTM, and a gpt with nanoGPT's recipe (random windows, AdamW, warm-up and cosine decay). */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gpt"})
    void killedJobResumesFromItsCheckpointToTheSameWeights(String cell) throws Exception {
        String corpusId;
        String jobId;
        long checkpointBeforeKill;
        long stepBeforeKill;
        try (ServerProcess first = ServerProcess.start(data)) {
            HttpJson api = first.api();
            corpusId = api.post("/api/corpora?name=sonnet.txt", "text/plain; charset=utf-8",
                    TestTexts.VERSE.getBytes(StandardCharsets.UTF_8)).get("id").asText();
            jobId = api.postJson("/api/jobs", job(corpusId, cell)).get("id").asText();
            JsonNode j = Await.until(Duration.ofSeconds(60), () -> api.get("/api/jobs/" + jobId),
                    job -> job.get("status").asText().equals("done")
                            || !job.get("checkpointStep").isNull() && job.get("checkpointStep").asLong() >= 2 * CHECKPOINT_EVERY);
            assertTrue(!j.get("status").asText().equals("done"), "the job finished before it could be killed: " + j);
            first.kill();
            checkpointBeforeKill = j.get("checkpointStep").asLong();
            stepBeforeKill = j.get("step").asLong();
        }
        assertTrue(stepBeforeKill < STEPS, "killed mid-training");

        try (ServerProcess second = ServerProcess.start(data)) {
            HttpJson api = second.api();
            // the stream replays the history cut back to the checkpoint, then follows the resumed run to the end
            List<SseEvents.Event> events = SseEvents.parse(api.events("/api/jobs/" + jobId + "/events"));
            JsonNode job = api.get("/api/jobs/" + jobId);
            assertEquals("done", job.get("status").asText(), job.toString());
            long resumedFrom = job.get("resumedFromStep").asLong();
            assertTrue(resumedFrom >= checkpointBeforeKill && resumedFrom < STEPS,
                    "resumed from " + resumedFrom + ", checkpoint seen before the kill " + checkpointBeforeKill);

            long stride = TrainingLoop.strideFor(STEPS);
            long expectedStep = stride;
            for (SseEvents.Event e : events) {
                if (!e.type().equals("progress")) continue;
                assertEquals(expectedStep, e.data().get("step").asLong(), "progress points neither repeat nor skip");
                expectedStep += stride;
            }
            assertEquals("done", events.get(events.size() - 1).type());

            byte[] weights = api.getBytes("/api/models/" + job.get("modelId").asText() + "/weights");
            Trainer uninterrupted = new Trainer(spec(corpusId, cell).toConfig(), TestTexts.VERSE, null, Engines.fastest());   // the engine jobs train with
            while (!uninterrupted.isDone()) uninterrupted.step();
            assertArrayEquals(ModelFile.write(uninterrupted.model(), DType.F32), ModelFile.write(ModelFile.readModel(weights), DType.F32),
                    "the resumed run ends with the weights of an uninterrupted one");
        }
    }

    static Map<String, Object> job(String corpusId, String cell) {
        Map<String, Object> job = new java.util.LinkedHashMap<>(Map.of("corpusId", corpusId, "cell", cell, "hidden", 24,
                "seqLength", 24, "batchSize", 4, "steps", STEPS, "seed", 11, "evalEvery", 250, "sampleEvery", 300,
                "checkpointEvery", CHECKPOINT_EVERY));
        if (cell.equals("gpt")) {
            job.putAll(Map.of("layers", 2, "heads", 2, "optimizer", "adamw", "weightDecay", 0.1, "beta2", 0.99,
                    "warmup", 100, "lrSchedule", "cosine", "clip", 1.0));
        }
        return job;
    }

    static JobSpec spec(String corpusId, String cell) {
        return dev.rnnplayground.server.common.Jackson.MAPPER.convertValue(job(corpusId, cell), JobSpec.class).withDefaults();
    }
}

package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.SseEvents;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.training.TrainingLoop;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancel keeps what was trained (issue 20, part 3): a running job cancelled part-way leaves a model
 * of the weights it had, which writes like any other, and a checkpoint; Resume goes on from there
 * and ends with the weights of a run that was never cancelled. A queued job has nothing to keep.
 * One server, in-process; every number is compared with the same run stepped here by hand.
 */
class CancelAndResumeTest {

    static final long STEPS = 600;

    @TempDir
    Path data;

    @Test
    void aCancelledJobKeepsItsModelAndResumesToTheUninterruptedWeights() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            String running = api.postJson("/api/jobs", job(corpusId)).get("id").asText();
            String queued = api.postJson("/api/jobs", job(corpusId)).get("id").asText();

            // a queued job has trained nothing: cancelled at once, nothing kept, nothing to resume
            Api.Reply cancelledQueued = api.postJson("/api/jobs/" + queued + "/cancel", Map.of());
            assertEquals(200, cancelledQueued.status(), cancelledQueued.text());
            assertEquals("cancelled", cancelledQueued.get("status").asText());
            assertTrue(cancelledQueued.get("modelId").isNull() && cancelledQueued.get("checkpointStep").isNull());
            assertTrue(Api.problemDetail(api.postJson("/api/jobs/" + queued + "/resume", Map.of()), 409).contains("start a new job"));

            // the running one, cancelled once it has trained a while
            Await.until(Duration.ofSeconds(60), () -> api.get("/api/jobs/" + running).json(),
                    j -> j.get("step").asLong() >= STEPS / 10 || !j.get("status").asText().equals("running") && !j.get("status").asText().equals("queued"));
            assertEquals(200, api.postJson("/api/jobs/" + running + "/cancel", Map.of()).status());
            JsonNode cancelled = TestTexts.awaitFinished(api, running, 30_000);
            assertEquals("cancelled", cancelled.get("status").asText(), "the job ended before it was cancelled: " + cancelled);
            long step = cancelled.get("step").asLong();
            assertTrue(step >= STEPS / 10 && step < STEPS, cancelled.toString());
            String keptId = cancelled.get("modelId").asText();
            assertEquals(step, cancelled.get("checkpointStep").asLong(), "the checkpoint Resume goes on from is the cancelled step");
            List<SseEvents.Event> events = SseEvents.parse(api.events("/api/jobs/" + running + "/events", null));
            SseEvents.Event last = events.get(events.size() - 1);
            assertEquals("cancelled", last.type());
            assertEquals(step, last.data().get("step").asLong());
            assertEquals(keptId, last.data().get("modelId").asText());
            assertTrue(Api.problemDetail(api.postJson("/api/jobs/" + running + "/cancel", Map.of()), 409).contains("cancelled"));

            // the kept model: listed with the job, its notes say where it stopped, its weights are the run's at that step
            JsonNode kept = api.get("/api/models/" + keptId).json();
            assertEquals(running, kept.get("jobId").asText());
            assertEquals(step, kept.get("steps").asLong());
            assertTrue(kept.get("name").asText().endsWith(" (cancelled at step " + step + " of " + STEPS + ")"), kept.toString());
            byte[] keptWeights = api.getBytes("/api/models/" + keptId + "/weights");
            Map<String, String> notes = SafeTensors.read(keptWeights).metadata();
            assertEquals("at step " + step + " of " + STEPS, notes.get("cancelled"));
            assertEquals(Long.toString(step), notes.get("steps"));
            assertEquals(kept.get("description").asText(), notes.get("description"));
            assertTrue(notes.get("description").endsWith("; cancelled at step " + step + " of " + STEPS), notes.get("description"));
            Trainer reference = new Trainer(spec(corpusId).toConfig(), TestTexts.VERSE, null, Engines.fastest());   // the engine jobs train with
            while (reference.stepsDone() < step) reference.step();
            assertArrayEquals(ModelFile.write(reference.model(), DType.F32), ModelFile.write(ModelFile.readModel(keptWeights), DType.F32),
                    "the kept model holds the weights of the step it was cancelled at, bit for bit");
            assertEquals(reference.validationLoss(), kept.get("valLoss").asDouble(), 1e-12, "validated at the cancelled step");
            assertEquals(kept.get("valLoss"), cancelled.get("valLoss"), "the record says what the kept model says");
            assertEquals(kept.get("trainLoss"), cancelled.get("loss"));
            assertEquals(kept.get("trainLoss"), last.data().get("loss"));
            Api.Reply written = api.postJson("/api/models/" + keptId + "/sample",
                    Map.of("prime", "Shall ", "length", 60, "temperature", 0.8, "seed", 5));
            assertEquals(200, written.status(), written.text());
            assertEquals(Sampler.sample(ModelFile.readModel(keptWeights), new SampleConfig("Shall ", 60, 0.8, 0, 5)).text(), written.get("text").asText());

            // Resume: queued again from the checkpoint, the stream replays up to it, the run ends as one never cancelled
            Api.Reply resumed = api.postJson("/api/jobs/" + running + "/resume", Map.of());
            assertEquals(200, resumed.status(), resumed.text());
            assertTrue(List.of("queued", "running").contains(resumed.get("status").asText()), resumed.text());
            assertEquals(step, resumed.get("step").asLong());
            JsonNode done = TestTexts.awaitFinished(api, running, 60_000);
            assertEquals("done", done.get("status").asText(), done.toString());
            assertEquals(step, done.get("resumedFromStep").asLong());
            String finalId = done.get("modelId").asText();
            assertNotEquals(keptId, finalId, "the finished run is a model of its own");
            while (!reference.isDone()) reference.step();
            assertArrayEquals(ModelFile.write(reference.model(), DType.F32),
                    ModelFile.write(ModelFile.readModel(api.getBytes("/api/models/" + finalId + "/weights")), DType.F32),
                    "resumed after a cancel, the job ends with the weights of an uninterrupted run");
            assertEquals(200, api.get("/api/models/" + keptId).status(), "the kept model stays listed beside it");

            List<SseEvents.Event> after = SseEvents.parse(api.events("/api/jobs/" + running + "/events", null));
            long stride = TrainingLoop.strideFor(STEPS);
            long expected = stride;
            for (SseEvents.Event e : after) {
                assertNotEquals("cancelled", e.type(), "the cancel is not replayed once resumed");
                if (!e.type().equals("progress")) continue;
                assertEquals(expected, e.data().get("step").asLong(), "progress points neither repeat nor skip");
                expected += stride;
            }
            assertEquals("done", after.get(after.size() - 1).type());
            assertTrue(Api.problemDetail(api.postJson("/api/jobs/" + running + "/resume", Map.of()), 409).contains("only a cancelled job"));
        });
    }

    /** A small LSTM that takes a few seconds: long enough to cancel part-way, short enough to finish after Resume. */
    static Map<String, Object> job(String corpusId) {
        return new LinkedHashMap<>(Map.of("corpusId", corpusId, "cell", "lstm", "hidden", 16, "seqLength", 16, "batchSize", 2,
                "steps", STEPS, "seed", 13, "evalEvery", 250, "sampleEvery", 0, "checkpointEvery", 100));
    }

    static JobSpec spec(String corpusId) {
        return Jackson.MAPPER.convertValue(job(corpusId), JobSpec.class).withDefaults();
    }
}

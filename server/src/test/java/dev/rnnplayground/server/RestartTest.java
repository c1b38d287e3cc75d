package dev.rnnplayground.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.JobSpec;
import dev.rnnplayground.server.model.DefaultModel;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the server knows survives a restart on the same data directory. */
class RestartTest {

    @TempDir
    Path data;

    private void withServer(Supplier<byte[]> defaultModel, io.javalin.testtools.TestCase test) {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, defaultModel)), test);
    }

    @Test
    void corporaModelsAndFinishedJobsSurviveARestart() {
        AtomicReference<JsonNode> before = new AtomicReference<>();
        AtomicReference<String> eventsBefore = new AtomicReference<>();
        withServer(() -> null, (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            String jobId = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "cell", "gru", "hidden", 8,
                    "seqLength", 8, "steps", 20, "sampleEvery", 5)).get("id").asText();
            JsonNode job = TestTexts.awaitFinished(api, jobId, 20_000);
            assertEquals("done", job.get("status").asText());
            before.set(tree(Map.of("corpora", api.get("/api/corpora").json(), "models", api.get("/api/models").json(),
                    "jobs", api.get("/api/jobs").json())));
            eventsBefore.set(api.events("/api/jobs/" + jobId + "/events", null));
        });
        withServer(() -> null, (server, client) -> {
            Api api = new Api(client);
            JsonNode after = tree(Map.of("corpora", api.get("/api/corpora").json(), "models", api.get("/api/models").json(),
                    "jobs", api.get("/api/jobs").json()));
            assertEquals(before.get(), after);
            String jobId = after.get("jobs").get(0).get("id").asText();
            assertEquals(SseEvents.parse(eventsBefore.get()), SseEvents.parse(api.events("/api/jobs/" + jobId + "/events", null)));
            String modelId = after.get("models").get(0).get("id").asText();
            assertEquals(200, api.postJson("/api/models/" + modelId + "/sample", Map.of("length", 20)).status());
        });
    }

    @Test
    void aJobInterruptedByAStopResumesOnTheNextStart() {
        AtomicReference<String> ids = new AtomicReference<>();
        long steps = 20_000;
        withServer(() -> null, (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            String jobId = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "cell", "rnn", "hidden", 16,
                    "seqLength", 16, "steps", steps, "seed", 4, "checkpointEvery", 0)).get("id").asText();
            JsonNode seen = Await.until(Duration.ofSeconds(30), () -> api.get("/api/jobs/" + jobId).json(),
                    j -> j.get("step").asLong() >= 100 || !j.get("status").asText().equals("running")
                            && !j.get("status").asText().equals("queued"));
            assertEquals("running", seen.get("status").asText(), "the job must still be running when the server stops");
            ids.set(corpusId + " " + jobId);
            // leaving the block stops the server: the running job checkpoints where it is
        });
        String corpusId = ids.get().split(" ")[0], jobId = ids.get().split(" ")[1];
        withServer(() -> null, (server, client) -> {
            Api api = new Api(client);
            JsonNode job = TestTexts.awaitFinished(api, jobId, 30_000);
            assertEquals("done", job.get("status").asText(), job.toString());
            assertTrue(job.get("resumedFromStep").asLong() >= 100, job.toString());
            byte[] weights = api.getBytes("/api/models/" + job.get("modelId").asText() + "/weights");
            JobSpec spec = JobSpec.of(corpusId, Map.of("cell", "rnn", "hidden", 16, "seqLength", 16, "steps", steps,
                    "seed", 4, "checkpointEvery", 0)).withDefaults();
            Trainer reference = new Trainer(spec.toConfig(), TestTexts.VERSE, null, Engines.fastest());   // the engine jobs train with
            while (!reference.isDone()) reference.step();
            assertArrayEquals(ModelFile.write(reference.model(), DType.F32), ModelFile.write(ModelFile.read(weights), DType.F32));
        });
    }

    @Test
    void aCrashBetweenStoringTheModelAndFinishingTheJobIsRepairedOnStart() throws Exception {
        AtomicReference<String> ids = new AtomicReference<>();
        withServer(() -> null, (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            String jobId = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "cell", "rnn", "hidden", 8,
                    "seqLength", 8, "steps", 20)).get("id").asText();
            ids.set(jobId + " " + TestTexts.awaitFinished(api, jobId, 20_000).get("modelId").asText());
        });
        String jobId = ids.get().split(" ")[0], modelId = ids.get().split(" ")[1];
        // what the disk holds when the process dies right after the model is stored: the job still running
        Path jobFile = data.resolve("jobs").resolve(jobId).resolve("job.json");
        String stored = java.nio.file.Files.readString(jobFile);
        String interrupted = stored.replace("\"status\" : \"done\"", "\"status\" : \"running\"");
        assertTrue(!interrupted.equals(stored), stored);
        java.nio.file.Files.writeString(jobFile, interrupted);
        withServer(() -> null, (server, client) -> {
            Api api = new Api(client);
            JsonNode job = api.get("/api/jobs/" + jobId).json();
            assertEquals("done", job.get("status").asText(), job.toString());
            assertEquals(modelId, job.get("modelId").asText());
            assertEquals(1, api.get("/api/models").json().size(), "not trained a second time");
            List<SseEvents.Event> events = SseEvents.parse(api.events("/api/jobs/" + jobId + "/events", null));
            assertEquals("done", events.get(events.size() - 1).type());
            assertEquals(modelId, events.get(events.size() - 1).data().get("modelId").asText());
        });
    }

    @Test
    void theDefaultModelIsSeededOnceAndStaysDeletedWhenDeleted() {
        byte[] shipped = RefusalsTest.tinyModelFile();
        int[] reads = {0};
        Supplier<byte[]> source = () -> {
            reads[0]++;
            return shipped;
        };
        withServer(() -> null, (server, client) ->
                assertEquals(0, new Api(client).get("/api/models").json().size(), "no default model in this build: nothing"));
        withServer(source, (server, client) -> {
            Api api = new Api(client);
            JsonNode models = api.get("/api/models").json();
            assertEquals(1, models.size());
            JsonNode m = models.get(0);
            assertEquals(DefaultModel.NAME, m.get("name").asText());
            assertEquals("default", m.get("source").asText());
            assertArrayEquals(shipped, api.getBytes("/api/models/" + m.get("id").asText() + "/weights"));
            assertEquals(204, api.delete("/api/models/" + m.get("id").asText()).status());
        });
        withServer(source, (server, client) ->
                assertEquals(List.of(), List.copyOf(iterate(new Api(client).get("/api/models").json())), "deleted stays deleted"));
        assertEquals(1, reads[0], "the shipped file is read only to seed");
    }

    private static List<JsonNode> iterate(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** JSON trees compare by value. */
    private static JsonNode tree(Object value) {
        return Jackson.MAPPER.valueToTree(value);
    }
}

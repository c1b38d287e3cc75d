package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.rnn.CharRnn;
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
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path a user takes: upload, train, watch, and use the model (cancel and resume: {@link CancelAndResumeTest}). */
class TrainingApiTest {

    @TempDir
    Path data;

    private Javalin app() {
        ServerConfig config = ServerConfig.defaults(data);
        return RnnServer.create(config, Services.open(config, () -> null));
    }

    static Map<String, Object> tinyJob(String corpusId, long steps) {
        return new java.util.LinkedHashMap<>(Map.of("corpusId", corpusId, "cell", "rnn", "hidden", 16, "seqLength", 16,
                "batchSize", 2, "steps", steps, "seed", 7, "evalEvery", 10, "sampleEvery", 10, "checkpointEvery", 10));
    }

    @Test
    void trainsWatchesAndUsesAModel() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);

            Api.Reply created = api.postJson("/api/jobs", tinyJob(corpusId, 30));
            assertEquals(202, created.status(), created.text());
            String jobId = created.get("id").asText();
            assertTrue(jobId.matches("j_[0-9a-f]{12}"));
            assertEquals("rnn-16 on sonnet.txt", created.get("name").asText());
            assertEquals(30, created.get("steps").asLong());

            // a subscriber from the start gets every event in order and the stream ends after "done"
            List<SseEvents.Event> events = SseEvents.parse(api.events("/api/jobs/" + jobId + "/events", null));
            List<Long> progressSteps = new ArrayList<>();
            int samples = 0;
            for (int i = 0; i < events.size(); i++) {
                SseEvents.Event e = events.get(i);
                assertEquals(i + 1, e.id(), "event ids count up from 1");
                if (e.type().equals("progress")) {
                    progressSteps.add(e.data().get("step").asLong());
                    assertEquals(30, e.data().get("steps").asLong());
                    assertTrue(e.data().get("loss").asDouble() > 0);
                    assertTrue(e.data().has("gradNorm") && e.data().has("clipped") && e.data().has("charsPerSecond")
                            && e.data().has("etaSeconds"), e.data().toString());
                    // batch 2 x window 16 characters a step: the race's x axis of characters seen
                    assertEquals(e.data().get("step").asLong() * 2 * 16, e.data().get("charactersSeen").asLong(), e.data().toString());
                    boolean evaluated = e.data().get("step").asLong() % 10 == 0;
                    assertEquals(evaluated, e.data().get("valLoss").isNumber(), e.data().toString());
                } else if (e.type().equals("sample")) {
                    samples++;
                    assertEquals(200, e.data().get("text").asText().codePointCount(0, e.data().get("text").asText().length()));
                }
            }
            List<Long> expectedSteps = new ArrayList<>();
            for (long s = 1; s <= 30; s++) expectedSteps.add(s);
            assertEquals(expectedSteps, progressSteps, "a run of 30 steps reports every step");
            assertEquals(2, samples, "samples at steps 10 and 20");
            SseEvents.Event last = events.get(events.size() - 1);
            assertEquals("done", last.type());
            String modelId = last.data().get("modelId").asText();

            JsonNode job = api.get("/api/jobs/" + jobId).json();
            assertEquals("done", job.get("status").asText());
            assertEquals(modelId, job.get("modelId").asText());
            assertEquals(30, job.get("step").asLong());
            assertTrue(job.get("valLoss").isNumber());

            // a late subscriber gets the same history; Last-Event-ID skips what a client has seen
            assertEquals(events, SseEvents.parse(api.events("/api/jobs/" + jobId + "/events", null)));
            assertEquals(events.subList(5, events.size()),
                    SseEvents.parse(api.events("/api/jobs/" + jobId + "/events", "5")));

            // the same history as one JSON array, for clients without EventSource
            JsonNode history = api.get("/api/jobs/" + jobId + "/history").json();
            assertEquals(events.size(), history.size());
            for (int i = 0; i < events.size(); i++) {
                assertEquals(events.get(i).id(), history.get(i).get("id").asLong());
                assertEquals(events.get(i).type(), history.get(i).get("type").asText());
                assertEquals(events.get(i).data(), history.get(i).get("data"));
            }

            // a reconnect after the final event is told there is nothing more (EventSource then stops)
            java.net.http.HttpResponse<String> reconnect = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(client.getOrigin() + "/api/jobs/" + jobId + "/events"))
                            .header("Accept", "text/event-stream").header("Last-Event-ID", Long.toString(last.id())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(204, reconnect.statusCode());

            // the model is listed with its metadata
            JsonNode listed = null;
            for (JsonNode m : api.get("/api/models").json()) if (m.get("id").asText().equals(modelId)) listed = m;
            assertNotNull(listed, "model is listed");
            assertEquals("trained", listed.get("source").asText());
            assertEquals("rnn", listed.get("cell").asText());
            assertEquals(16, listed.get("hidden").asInt());
            assertEquals(1, listed.get("layers").asInt());
            assertEquals(corpusId, listed.get("corpusId").asText());
            assertEquals("sonnet.txt", listed.get("corpusName").asText());
            assertEquals(jobId, listed.get("jobId").asText());
            assertEquals(30, listed.get("steps").asLong());
            assertTrue(listed.get("trainLoss").isNumber() && listed.get("valLoss").isNumber());
            assertEquals(listed, api.get("/api/models/" + modelId).json());

            // the weights are the file rnn train writes, and exactly what the same run gives in-process
            byte[] weights = api.getBytes("/api/models/" + modelId + "/weights");
            CharRnn model = ModelFile.read(weights);
            assertEquals(listed.get("description").asText(), SafeTensors.read(weights).metadata().get("description"));
            assertTrue(listed.get("description").asText().startsWith("1-layer rnn, 16 hidden units, trained by the server on sonnet.txt: 30 steps"),
                    listed.get("description").asText());
            assertEquals(listed.get("vocabSize").asInt(), model.vocab().size());
            assertEquals(listed.get("parameterCount").asLong(), model.parameterCount());
            Trainer reference = new Trainer(spec(corpusId).toConfig(), TestTexts.VERSE, null, Engines.fastest());   // the engine jobs train with
            while (!reference.isDone()) reference.step();
            assertArrayEquals(ModelFile.write(reference.model(), DType.F32), ModelFile.write(model, DType.F32),
                    "the same weights, bit for bit (the file adds notes to the metadata)");

            // sample and predict as the command line does
            Api.Reply sample = api.postJson("/api/models/" + modelId + "/sample",
                    Map.of("prime", "Shall ", "length", 40, "temperature", 0.8, "seed", 3));
            assertEquals(200, sample.status(), sample.text());
            String expected = Sampler.sample(model, new SampleConfig("Shall ", 40, 0.8, 0, 3)).text();
            assertEquals(expected, sample.get("text").asText());
            assertEquals(sample.json(), api.postJson("/api/models/" + modelId + "/sample",
                    Map.of("prime", "Shall ", "length", 40, "temperature", 0.8, "seed", 3)).json());

            Api.Reply predict = api.postJson("/api/models/" + modelId + "/predict", Map.of("prime", "summer", "top", 5));
            assertEquals(200, predict.status(), predict.text());
            JsonNode candidates = predict.get("candidates");
            assertEquals(5, candidates.size());
            Sampler.Prediction p = Sampler.predict(model, "summer", 5);
            for (int i = 0; i < 5; i++) {
                assertEquals(p.candidates().get(i).symbol(), candidates.get(i).get("symbol").asText());
                assertEquals(p.candidates().get(i).probability(), candidates.get(i).get("probability").asDouble());
            }

            Api.Reply inspect = api.postJson("/api/models/" + modelId + "/inspect", Map.of("text", "thee to a summer"));
            assertEquals(200, inspect.status(), inspect.text());
            assertEquals(15, inspect.get("symbols").size());
            assertEquals(15, inspect.get("gradientNormsTotal").get(0).size());
            assertEquals(15, inspect.get("gradientNormsFromLast").get(0).size());
            assertEquals(16, inspect.get("hidden").get(0).get(0).size());
            assertTrue(inspect.get("cellStates").isNull(), "an RNN has no cell state");
        });
    }

    @Test
    void aQueuedJobSaysHowManyJobsAreAheadOfIt() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            Map<String, Object> big = tinyJob(corpusId, 1_000_000);
            String running = api.postJson("/api/jobs", big).get("id").asText();
            String queued = api.postJson("/api/jobs", big).get("id").asText();
            assertEquals("queued", api.get("/api/jobs/" + queued).get("status").asText(), "one worker: the second waits");
            assertEquals(1, api.get("/api/jobs/" + queued).get("jobsAhead").asLong(), "the first job is ahead of it");
            assertEquals(200, api.postJson("/api/jobs/" + queued + "/cancel", Map.of()).status());
            assertEquals(200, api.postJson("/api/jobs/" + running + "/cancel", Map.of()).status());
            TestTexts.awaitFinished(api, running, 10_000);
        });
    }

    @Test
    void aDivergingJobFailsWithTheReason() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            Map<String, Object> wild = tinyJob(corpusId, 2000);
            wild.putAll(Map.of("optimizer", "sgd", "lr", 10, "clip", 0, "hidden", 64));
            String jobId = api.postJson("/api/jobs", wild).get("id").asText();
            JsonNode job = TestTexts.awaitFinished(api, jobId, 30_000);
            assertEquals("failed", job.get("status").asText(), job.toString());
            assertTrue(job.get("error").asText().contains("diverged"), job.toString());
            assertTrue(job.get("modelId").isNull());
            List<SseEvents.Event> events = SseEvents.parse(api.events("/api/jobs/" + jobId + "/events", null));
            SseEvents.Event last = events.get(events.size() - 1);
            assertEquals("failed", last.type());
            assertEquals(job.get("error").asText(), last.data().get("reason").asText());
        });
    }

    @Test
    void theQueueIsBoundedAndACorpusInUseCannotBeDeleted() {
        ServerConfig config = ServerConfig.defaults(data).withMaxQueuedJobs(1);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            Map<String, Object> big = tinyJob(corpusId, 1_000_000);
            String running = api.postJson("/api/jobs", big).get("id").asText();
            Await.until(Duration.ofSeconds(30), () -> api.get("/api/jobs/" + running).get("status").asText(), "running"::equals);
            String queued = api.postJson("/api/jobs", big).get("id").asText();
            assertTrue(Api.problemDetail(api.postJson("/api/jobs", big), 429).contains("waiting"));
            assertTrue(Api.problemDetail(api.delete("/api/corpora/" + corpusId), 409).contains("cancel"));
            api.postJson("/api/jobs/" + queued + "/cancel", Map.of());
            api.postJson("/api/jobs/" + running + "/cancel", Map.of());
            TestTexts.awaitFinished(api, running, 10_000);
            assertEquals(204, api.delete("/api/corpora/" + corpusId).status(), "free once no job needs it");
            assertEquals(3, api.get("/api/jobs").json().size() + 1, "the refused job was not stored");
        });
    }

    static JobSpec spec(String corpusId) {
        return JobSpec.of(corpusId, Map.of("cell", "rnn", "hidden", 16, "seqLength", 16, "batchSize", 2, "steps", 30,
                "seed", 7, "evalEvery", 10, "sampleEvery", 10, "checkpointEvery", 10)).withDefaults();
    }
}

package dev.rnnplayground.server.job.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.PostgresCluster;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.SseEvents;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.JobStatus;
import dev.rnnplayground.server.job.ProgressHistory;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn serve --database} on a real PostgreSQL, with a real server: a job queued through the
 * API is claimed and trained by the worker of {@code rnn worker} ({@link Worker}, in this JVM);
 * the web node's API and event stream show exactly the events the worker wrote, and the model it
 * stored becomes the node's own. Cancel works both for a queued job (at once) and for a running
 * one (the worker is asked, and keeps what it trained). A second web node on a fresh data
 * directory finds every job in the database; its database restarts under it: the job routes
 * answer 503 meanwhile, the rest serves on, and it recovers by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeWithDatabaseTest {

    @RegisterExtension
    static final PostgresCluster CLUSTER = new PostgresCluster();

    static final long STEPS = 120;
    /** Short, so that the test need not wait: heartbeat 1 s, dead after 4 missed, a look at the queue every 0.2 s. */
    static final Worker.Timing QUICK = new Worker.Timing(Duration.ofSeconds(1), 4, Duration.ofMillis(200));
    /** The worker's own connection, as on another machine; the test reads the tables through it too. */
    static Database db;
    /** What the first test leaves in the database, for the second web node to find. */
    static String trainedJob;
    static String trainedModelId;
    static byte[] trainedModel;

    @BeforeAll
    static void open() throws SQLException {
        db = Database.open(CLUSTER.databaseUrl());
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    private static Javalin webNode(Path data) {
        ServerConfig config = ServerConfig.defaults(data).withDatabase(CLUSTER.databaseUrl());
        return RnnServer.create(config, Services.open(config, () -> null));
    }

    static Map<String, Object> job(String corpusId, long steps) {
        return new LinkedHashMap<>(Map.of("corpusId", corpusId, "cell", "lstm", "hidden", 16, "seqLength", 16,
                "batchSize", 4, "steps", steps, "seed", 5, "evalEvery", 40, "sampleEvery", 60, "checkpointEvery", 50));
    }

    @Test
    @Order(1)
    void aJobQueuedThroughTheApiIsTrainedByAWorkerAndTheWebNodeShowsItAsItsOwn(@TempDir Path data) {
        JavalinTest.test(webNode(data), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            // the checks of one machine come first, and a refused job is not queued
            assertTrue(Api.problemDetail(api.postJson("/api/jobs", Map.of("corpusId", corpusId, "seqLength", 4000)), 400)
                    .contains("seqLength"));
            assertEquals(0, count("SELECT count(*) FROM rnn_jobs"));

            String a = api.postJson("/api/jobs", job(corpusId, STEPS)).get("id").asText();
            Api.Reply second = api.postJson("/api/jobs", job(corpusId, STEPS));
            assertEquals(202, second.status(), second.text());
            String b = second.get("id").asText();
            assertEquals(TestTexts.VERSE, workerSees(a).corpusText(), "the corpus went into the database with the job");
            assertEquals(a, workerSees(a).job().id(), "the record is the job as the API showed it");
            assertEquals(0, api.get("/api/jobs/" + a).get("jobsAhead").asLong());
            assertEquals(1, api.get("/api/jobs/" + b).get("jobsAhead").asLong(), "b waits behind a");

            // a queued job nobody has picked is cancelled at once and leaves the queue
            Api.Reply cancelled = api.postJson("/api/jobs/" + b + "/cancel", Map.of());
            assertEquals(200, cancelled.status(), cancelled.text());
            assertEquals("cancelled", cancelled.get("status").asText());
            assertEquals(0, count("SELECT count(*) FROM scheduled_tasks WHERE task_instance = '" + b + "'"));
            assertEquals("cancelled", api.get("/api/jobs/" + b + "/history").json().get(0).get("type").asText());
            assertFalse(api.get("/api/jobs/" + b).json().has("jobsAhead"), "only a queued job has a place in the queue");

            // a page that follows the job from before any worker has it
            CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> api.events("/api/jobs/" + a + "/events", null));
            Worker worker = Worker.start(db, "test-worker", QUICK);
            try {
                List<SseEvents.Event> events = SseEvents.parse(stream.get(60, TimeUnit.SECONDS));
                trainedModel = StoredJob.model(db, a);
                trainedModelId = StoredJob.query(db, "SELECT model_id FROM rnn_jobs WHERE id = ?", a);
                theStreamAndTheModelAreTheWorkers(api, corpusId, a, events);
                cancelARunningJob(api, corpusId);
            } finally {
                worker.stop();
            }
            trainedJob = a;
        });
    }

    /**
     * The event stream a page opened before the worker had job {@code a} carries exactly the events
     * the worker wrote, in order; the web node says what the worker's last event says, and lists,
     * serves and writes with the model the worker stored: the weights of the same job trained in
     * this JVM, bit for bit.
     */
    private static void theStreamAndTheModelAreTheWorkers(Api api, String corpusId, String a, List<SseEvents.Event> events)
            throws Exception {
        // the stream is the worker's events, in order, unchanged
        List<ProgressHistory.Event> written = new Events(db).after(a, 0);
        assertEquals(written.size(), events.size(), "as many events as the worker wrote");
        long lastStep = 0;
        for (int i = 0; i < written.size(); i++) {
            assertEquals(written.get(i).id(), events.get(i).id());
            assertEquals(written.get(i).type(), events.get(i).type());
            assertEquals(Jackson.MAPPER.valueToTree(written.get(i).data()), events.get(i).data());
            long step = events.get(i).data().get("step").asLong();
            assertTrue(step >= lastStep, "steps never go back: " + step + " after " + lastStep);
            lastStep = step;
        }
        SseEvents.Event last = events.get(events.size() - 1);
        assertEquals("done", last.type());
        assertEquals(trainedModelId, last.data().get("modelId").asText());
        assertEquals(STEPS, last.data().get("step").asLong());

        JsonNode finished = api.get("/api/jobs/" + a).json();
        assertEquals("done", finished.get("status").asText());
        assertEquals(trainedModelId, finished.get("modelId").asText());
        assertEquals(STEPS, finished.get("step").asLong());
        assertEquals(api.get("/api/jobs/" + a + "/history").json().size(), events.size());

        // the model is this node's: listed, downloadable byte for byte, and it writes
        JsonNode model = api.get("/api/models/" + trainedModelId).json();
        assertEquals("trained", model.get("source").asText());
        assertEquals(a, model.get("jobId").asText());
        assertEquals(corpusId, model.get("corpusId").asText());
        assertEquals(STEPS, model.get("steps").asLong());
        assertEquals(last.data().get("loss").asDouble(), model.get("trainLoss").asDouble());
        // the worker's file says what one machine's says: the learner's server trained it, whichever machine ran it
        assertTrue(model.get("description").asText().contains("trained by the server on sonnet.txt"), model.toString());
        byte[] weights = api.getBytes("/api/models/" + trainedModelId + "/weights");
        assertArrayEquals(trainedModel, weights, "the bytes the worker stored");
        Trainer reference = new Trainer(workerSees(a).job().spec().toConfig(), TestTexts.VERSE, null,
                Engines.factory(Engines.Choice.FAST, ClaimedJob.TRAINING_THREADS));
        while (!reference.isDone()) reference.step();
        LanguageModel served = ModelFile.readModel(weights);
        assertArrayEquals(ModelFile.write(reference.model(), DType.F32), ModelFile.write(served, DType.F32),
                "the weights of the same job trained in this JVM, bit for bit");
        Api.Reply sample = api.postJson("/api/models/" + trainedModelId + "/sample",
                Map.of("prime", "Shall ", "length", 40, "temperature", 0.8, "seed", 3));
        assertEquals(200, sample.status(), sample.text());
        assertEquals(Sampler.sample(served, new SampleConfig("Shall ", 40, 0.8, 0, 3)).text(), sample.get("text").asText());
    }

    /**
     * A cancel of a job the worker holds asks the worker (cancel_requested) and leaves the job
     * running; the worker stops after its current step and keeps what it trained as the model,
     * status cancelled, its notes saying where it stopped: the web node lists that model too.
     */
    private static void cancelARunningJob(Api api, String corpusId) throws Exception {
        long steps = 1_000_000;   // far more than it trains before the cancel reaches it
        String c = api.postJson("/api/jobs", job(corpusId, steps)).get("id").asText();
        Await.until(Duration.ofSeconds(30), () -> api.get("/api/jobs/" + c).get("step").asLong() > 0);
        Api.Reply asked = api.postJson("/api/jobs/" + c + "/cancel", Map.of());
        assertEquals(200, asked.status(), asked.text());
        assertEquals("running", asked.get("status").asText(), "the worker stops it, not the web node");
        JsonNode ended = TestTexts.awaitFinished(api, c, 30_000);
        assertEquals("cancelled", ended.get("status").asText());
        JsonNode history = api.get("/api/jobs/" + c + "/history").json();
        JsonNode last = history.get(history.size() - 1);
        assertEquals("cancelled", last.get("type").asText());
        long step = last.get("data").get("step").asLong();
        assertTrue(step > 0 && step < steps, "stopped part-way: " + last);
        assertEquals(step, ended.get("step").asLong(), "the job ends where its model was kept, as on one machine: " + ended);

        String modelId = StoredJob.query(db, "SELECT model_id FROM rnn_jobs WHERE id = ?", c);
        assertNotNull(modelId, "the worker kept a model");
        assertEquals(modelId, ended.get("modelId").asText(), "cancel keeps what was trained");
        JsonNode model = api.get("/api/models/" + modelId).json();
        assertEquals(c, model.get("jobId").asText());
        assertEquals(step, model.get("steps").asLong());
        String where = "at step " + step + " of " + steps;
        assertTrue(model.get("name").asText().endsWith("(cancelled " + where + ")"), model.toString());
        byte[] weights = api.getBytes("/api/models/" + modelId + "/weights");
        assertArrayEquals(StoredJob.model(db, c), weights, "the bytes the worker stored");
        Map<String, String> notes = SafeTensors.read(weights).metadata();
        assertEquals(where, notes.get("cancelled"), "its notes say it is not the finished run");
        assertEquals(Long.toString(step), notes.get("steps"));
    }

    @Test
    @Order(2)
    void aWebNodeReadsItsJobsFromTheDatabaseAndOutlivesItsRestart(@TempDir Path data) {
        assertNotNull(trainedJob, "runs after the first test");
        JavalinTest.test(webNode(data), (server, client) -> {
            Api api = new Api(client);
            // a fresh data directory: the jobs, their histories and the models come from the database
            JsonNode jobs = api.get("/api/jobs").json();
            assertEquals(3, jobs.size(), jobs.toString());
            JsonNode job = api.get("/api/jobs/" + trainedJob).json();
            assertEquals("done", job.get("status").asText());
            assertEquals(new Events(db).after(trainedJob, 0).size(), api.get("/api/jobs/" + trainedJob + "/history").json().size());
            assertArrayEquals(trainedModel, api.getBytes("/api/models/" + trainedModelId + "/weights"));

            CLUSTER.down();
            long downAt = System.nanoTime();
            Api.Reply refused = Await.until(Duration.ofSeconds(20), () -> api.get("/api/jobs"), r -> r.status() == 503);
            double noticedAfter = (System.nanoTime() - downAt) / 1e9;
            assertTrue(Api.problemDetail(refused, 503).startsWith("The job database is unreachable;"), refused.text());
            assertEquals(503, api.get("/api/jobs/" + trainedJob).status());
            assertEquals(503, api.postJson("/api/jobs", job(job.get("spec").get("corpusId").asText(), 10)).status());
            assertEquals(200, api.get("/api/health").status(), "the rest of the server serves on");
            assertEquals(200, api.get("/api/models").status());
            assertEquals(200, api.get("/api/corpora").status());
            assertTrue(noticedAfter < 10, "the outage was noticed after " + noticedAfter + " s");

            CLUSTER.up();
            long upAt = System.nanoTime();
            Await.until(Duration.ofSeconds(30), () -> api.get("/api/jobs").status(), s -> s == 200);
            double recoveredAfter = (System.nanoTime() - upAt) / 1e9;
            assertEquals(3, api.get("/api/jobs").json().size());
            String corpusId = TestTexts.uploadVerse(api);
            Api.Reply queued = api.postJson("/api/jobs", job(corpusId, 10));
            assertEquals(202, queued.status(), "queues again after " + recoveredAfter + " s: " + queued.text());
            assertEquals(JobStatus.QUEUED, workerSees(queued.get("id").asText()).status(), "no worker runs now: it waits");
        });
    }

    /** The job as a worker reads it from the database: its record, where it stands, its corpus. */
    private static JobRecords.Claimed workerSees(String jobId) throws SQLException, IOException {
        return new JobRecords(db).read(jobId).orElseThrow(() -> new AssertionError("job " + jobId + " is not in rnn_jobs"));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}

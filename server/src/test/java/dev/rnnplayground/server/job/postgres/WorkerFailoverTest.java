package dev.rnnplayground.server.job.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.PostgresCluster;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.SseEvents;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.job.Job;
import dev.rnnplayground.server.job.JobSpec;
import dev.rnnplayground.server.job.JobStatus;
import dev.rnnplayground.server.job.ProgressHistory;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn worker} on real processes (issue 20, parts 1, 3 and 5): a web node ({@code rnn serve
 * --database}, in this JVM, over HTTP), two worker JVMs and one private PostgreSQL; one small LSTM
 * job, queued through the web node's API as a learner's page queues it. The worker that claimed it
 * is killed (SIGKILL), frozen past its heartbeat timeout (SIGSTOP, then SIGCONT) or stopped
 * (SIGTERM) once it has passed a checkpoint; the other resumes from that checkpoint (within 60 s; at
 * its next poll after a SIGTERM), and the job ends with the model the embedded default (an
 * in-process {@code JobService}, no database) trains from the same spec: the same file byte for
 * byte, and the same events, as if one worker had run it without a break. After a kill or a freeze
 * the web node says so too: the job is done, the event stream a page opened before the kill and the
 * job's history are the embedded run's events, and the model it serves is the embedded run's file.
 * A cancelled job keeps what it trained.
 */
class WorkerFailoverTest {

    @RegisterExtension
    static final PostgresCluster CLUSTER = new PostgresCluster();

    @TempDir
    static Path dir;

    static final long STEPS = 300;
    /** Small enough to train in seconds; checkpoints every 20 steps, so the kill lands after one. */
    static final Map<String, Object> SPEC = Map.of("cell", "lstm", "hidden", 32, "seqLength", 24, "batchSize", 4,
            "steps", STEPS, "seed", 11, "evalEvery", 100, "sampleEvery", 100, "checkpointEvery", 20);
    /** issue 20: a killed worker's job resumes elsewhere within this. */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(60);
    /** An event's fields, as a stream's JSON is read back into a {@link ProgressHistory.Event}. */
    static final TypeReference<Map<String, Object>> EVENT_DATA = new TypeReference<>() { };

    static Database db;
    /** The text the jobs train on, and what the embedded default's run of the job ended with. */
    static String corpusText;
    static byte[] embeddedModel;
    static List<ProgressHistory.Event> embeddedEvents;
    /** The web node every job is queued through, its API, and the corpus uploaded to it. */
    static Javalin webNode;
    static Api api;
    static String webCorpusId;

    @BeforeAll
    static void trainOnceEmbeddedAndStartTheWebNode() throws Exception {
        Services services = Services.open(ServerConfig.defaults(dir.resolve("embedded")), () -> null);
        services.start();
        try {
            Corpus corpus = services.corpora().create("sonnet.txt", TestTexts.VERSE.getBytes(StandardCharsets.UTF_8), Identity.TEACHER);
            corpusText = services.corpora().text(corpus.id());
            Job queued = services.jobs().create(JobSpec.of(corpus.id(), SPEC), Identity.TEACHER);
            Job done = Await.until(Duration.ofSeconds(120), () -> services.jobs().get(queued.id()), j -> j.status().isFinished());
            assertEquals(JobStatus.DONE, done.status(), "the embedded run: " + done.error());
            embeddedModel = Files.readAllBytes(services.models().weightsFile(done.modelId()));
            embeddedEvents = services.jobs().history(queued.id(), Identity.TEACHER).all();
        } finally {
            services.stop();
        }
        db = Database.open(CLUSTER.databaseUrl());
        ServerConfig web = ServerConfig.defaults(dir.resolve("web")).withPort(0).withDatabase(CLUSTER.databaseUrl());
        webNode = RnnServer.create(web, Services.open(web, () -> null)).start("127.0.0.1", 0);
        api = new Api(new HttpClient(webNode, java.net.http.HttpClient.newHttpClient()));
        webCorpusId = TestTexts.uploadVerse(api);   // sonnet.txt, as the embedded run's: the model's notes name it
    }

    @AfterAll
    static void close() {
        try {
            if (webNode != null) webNode.stop();
        } finally {
            if (db != null) db.close();
        }
    }

    @Test
    void aKilledWorkersJobIsResumedByTheOtherFromItsLastCheckpoint() throws Exception {
        Claim claim;
        CompletableFuture<String> page;
        try (Workers workers = Workers.start("kill")) {
            String jobId = queueTheJob();
            page = followOnTheWebNode(jobId);
            claim = awaitClaimPastACheckpoint(jobId, workers);
            claim.holder().kill();
            long killedAt = System.nanoTime();
            long checkpoint = checkpointStep(jobId);   // the last one the killed worker committed

            String resumed = Await.until(FAILOVER_BOUND, () -> claim.other().lineWith("job " + jobId + " resumes from step"), Objects::nonNull);
            double failoverSeconds = (System.nanoTime() - killedAt) / 1e9;
            assertTrue(resumed.endsWith("resumes from step " + checkpoint), "resumed from the last checkpoint, " + checkpoint + ": " + resumed);
            assertTrue(failoverSeconds < FAILOVER_BOUND.toSeconds(), failoverSeconds + " s");
            report("kill -9 at checkpoint " + checkpoint + ": resumed by the other worker " + String.format("%.1f", failoverSeconds) + " s later");

            awaitEnd(jobId, claim.other());
        }
        assertTheSameRunAsEmbedded(claim.jobId());
        assertTheWebNodeShowsTheEmbeddedRun(claim.jobId(), page);
    }

    @Test
    void aFrozenWorkerWritesNothingOverTheJobAnotherTook() throws Exception {
        Claim claim;
        CompletableFuture<String> page;
        try (Workers workers = Workers.start("freeze")) {
            String jobId = queueTheJob();
            page = followOnTheWebNode(jobId);
            claim = awaitClaimPastACheckpoint(jobId, workers);
            claim.holder().signal("STOP");
            long frozenAt = System.nanoTime();
            Await.until(FAILOVER_BOUND, () -> claim.other().logged("job " + jobId + " resumes from step"));
            double failoverSeconds = (System.nanoTime() - frozenAt) / 1e9;
            report("SIGSTOP: resumed by the other worker " + String.format("%.1f", failoverSeconds) + " s later");

            claim.holder().signal("CONT");   // thawed while the other trains (or after it finished): its next write is refused
            String stopped = Await.until(Duration.ofSeconds(60), () -> claim.holder().lineWith("this worker stops training it"), Objects::nonNull);
            assertTrue(stopped.contains("job " + jobId), stopped);
            report("the thawed worker: " + stopped);

            awaitEnd(jobId, claim.other());
            assertTrue(claim.holder().lineWith("job " + jobId + " done") == null, "only the worker holding the job ends it:\n" + claim.holder().log());
        }
        assertTheSameRunAsEmbedded(claim.jobId());
        assertTheWebNodeShowsTheEmbeddedRun(claim.jobId(), page);
    }

    @Test
    void aStoppedWorkerGivesItsJobBackAtOnce() throws Exception {
        Claim claim;
        try (Workers workers = Workers.start("term")) {
            String jobId = queueTheJob();
            claim = awaitClaimPastACheckpoint(jobId, workers);
            long stoppedAt = System.nanoTime();
            claim.holder().terminate();
            String stopped = claim.holder().lineWith("job " + jobId + " stopped at step");
            assertNotNull(stopped, "the stopping worker says where it stopped:\n" + claim.holder().log());
            long step = Long.parseLong(stopped.replaceFirst(".* stopped at step (\\d+);.*", "$1"));

            // given back at once, not left for the heartbeat timeout (4 s) to revive: free, or already the other's
            String holder = query("SELECT CASE WHEN picked THEN picked_by ELSE '' END FROM scheduled_tasks WHERE task_instance = ?", jobId);
            assertTrue("".equals(holder) || claim.other().name().equals(holder), "the queue row, right after the stop: " + holder);
            String resumed = Await.until(FAILOVER_BOUND, () -> claim.other().lineWith("job " + jobId + " resumes from step"), Objects::nonNull);
            assertNull(claim.other().lineWith("Reviving dead execution"), claim.other().log());
            report("SIGTERM at step " + step + ": resumed by the other worker " + String.format("%.1f", (System.nanoTime() - stoppedAt) / 1e9) + " s later");
            assertTrue(resumed.endsWith("resumes from step " + step), "resumed where it stopped, at its last checkpoint: " + resumed);
            awaitEnd(jobId, claim.other());
        }
        assertTheSameRunAsEmbedded(claim.jobId());
    }

    /**
     * Cancel keeps what was trained: the worker stops after its current step and stores the weights
     * it has as the job's model (the weights of the same run trained here to that step), with the
     * checkpoint kept to resume from.
     */
    @Test
    void aCancelledJobKeepsWhatItTrained() throws Exception {
        String jobId;
        try (WorkerProcess worker = WorkerProcess.start("cancel", CLUSTER.databaseUrl(), dir.resolve("cancel"))) {
            worker.awaitReady();
            jobId = queueTheJob();
            Await.until(Duration.ofSeconds(60), () -> checkpointStep(jobId) > 0);
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET cancel_requested = true WHERE id = ?")) {
                s.setString(1, jobId);
                assertEquals(1, s.executeUpdate());
            }
            Await.until(Duration.ofSeconds(30), () -> query("SELECT status FROM rnn_jobs WHERE id = ?", jobId), "cancelled"::equals);
        }
        List<ProgressHistory.Event> events = new Events(db).after(jobId, 0);
        ProgressHistory.Event last = events.get(events.size() - 1);
        assertEquals("cancelled", last.type());
        long step = ((Number) last.data().get("step")).longValue();
        assertTrue(step > 0 && step < STEPS, "stopped mid-run: " + last);
        assertEquals(query("SELECT model_id FROM rnn_jobs WHERE id = ?", jobId), last.data().get("modelId"), "the last event names the kept model");

        byte[] model = model(jobId);
        assertEquals(Long.toString(step), SafeTensors.read(model).metadata().get("steps"), "its notes say how far it trained");
        Trainer here = new Trainer(JobSpec.of(webCorpusId, SPEC).withDefaults().toConfig(), corpusText, null,
                Engines.factory(Engines.Choice.FAST, ClaimedJob.TRAINING_THREADS));
        while (here.stepsDone() < step) here.step();
        assertArrayEquals(ModelFile.write(here.model(), DType.F32), ModelFile.write(ModelFile.readModel(model), DType.F32),
                "the kept weights are the run's at step " + step);
        assertNotNull(query("SELECT checkpoint_oid::text FROM rnn_jobs WHERE id = ?", jobId), "the checkpoint is kept, to resume from");
    }

    /** Two workers, both polling the queue once started. */
    record Workers(WorkerProcess a, WorkerProcess b) implements AutoCloseable {
        static Workers start(String name) {
            WorkerProcess a = WorkerProcess.start(name + "-a", CLUSTER.databaseUrl(), dir.resolve(name + "-a"));
            WorkerProcess b = WorkerProcess.start(name + "-b", CLUSTER.databaseUrl(), dir.resolve(name + "-b"));
            Workers workers = new Workers(a, b);
            try {
                a.awaitReady();
                b.awaitReady();
            } catch (AssertionError e) {
                try {
                    workers.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return workers;
        }

        @Override
        public void close() throws Exception {
            try {
                a.close();
            } finally {
                b.close();
            }
        }
    }

    /** The job, the worker that claimed it, and the other. */
    record Claim(String jobId, WorkerProcess holder, WorkerProcess other) {
    }

    /** Waits until one of the workers (both polling when the job was queued) has claimed it and committed a checkpoint. */
    private static Claim awaitClaimPastACheckpoint(String jobId, Workers workers) {
        WorkerProcess a = workers.a(), b = workers.b();
        Await.until(Duration.ofSeconds(60), () -> checkpointStep(jobId) > 0);
        String holder = pickedBy(jobId);
        assertNotNull(holder, "the job is picked");
        assertTrue(checkpointStep(jobId) < STEPS - 100, "the kill lands early enough to leave 100 steps: " + checkpointStep(jobId));
        return holder.equals(a.name()) ? new Claim(jobId, a, b) : new Claim(jobId, b, a);
    }

    private static void awaitEnd(String jobId, WorkerProcess finisher) {
        try {
            Await.until(Duration.ofSeconds(120), () -> query("SELECT status FROM rnn_jobs WHERE id = ?", jobId), "done"::equals);
            // logged just after the commit
            Await.until(Duration.ofSeconds(10), () -> finisher.logged("job " + jobId + " done at step " + STEPS));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nworker " + finisher.name() + ":\n" + finisher.log(), e);
        }
    }

    /** The job's model and events in the database are the embedded run's: weights byte for byte, every event's step, loss and text. */
    private static void assertTheSameRunAsEmbedded(String jobId) throws SQLException {
        byte[] model = model(jobId);
        assertArrayEquals(ModelFile.write(ModelFile.readModel(embeddedModel), DType.F32), ModelFile.write(ModelFile.readModel(model), DType.F32),
                "the weights are the embedded run's, byte for byte");
        assertEquals(SafeTensors.read(embeddedModel).metadata(), SafeTensors.read(model).metadata(), "the notes too");
        assertArrayEquals(embeddedModel, model, "so the whole file is");

        List<ProgressHistory.Event> events = new Events(db).after(jobId, 0);
        assertTheEmbeddedRunsEvents(events, "rnn_job_events");
        assertEquals(query("SELECT model_id FROM rnn_jobs WHERE id = ?", jobId), events.get(events.size() - 1).data().get("modelId"),
                "the last event names the stored model");
        assertEquals(null, query("SELECT checkpoint_oid::text FROM rnn_jobs WHERE id = ?", jobId), "a finished job keeps no checkpoint");
    }

    /**
     * What a learner sees of the job on the web node, which followed it through the failover: done,
     * with the model the worker stored, served byte for byte as the embedded run's file; its history,
     * and the event stream a page opened before the failover, are the embedded run's events.
     */
    private static void assertTheWebNodeShowsTheEmbeddedRun(String jobId, CompletableFuture<String> page) throws Exception {
        JsonNode job = TestTexts.awaitFinished(api, jobId, 10_000);   // the web node looks every 0.5 s
        assertEquals("done", job.get("status").asText(), job.toString());
        assertEquals(STEPS, job.get("step").asLong(), job.toString());
        String modelId = query("SELECT model_id FROM rnn_jobs WHERE id = ?", jobId);
        assertEquals(modelId, job.get("modelId").asText(), "the model the worker stored");
        assertArrayEquals(embeddedModel, api.getBytes("/api/models/" + modelId + "/weights"),
                "the web node serves the embedded run's model file, byte for byte");

        List<ProgressHistory.Event> history = Jackson.MAPPER.readerFor(new TypeReference<List<ProgressHistory.Event>>() { })
                .readValue(api.get("/api/jobs/" + jobId + "/history").text());
        assertTheEmbeddedRunsEvents(history, "the web node's history");
        List<ProgressHistory.Event> streamed = SseEvents.parse(page.get(30, TimeUnit.SECONDS)).stream()
                .map(e -> new ProgressHistory.Event(e.id(), e.type(), Jackson.MAPPER.convertValue(e.data(), EVENT_DATA)))
                .toList();
        assertTheEmbeddedRunsEvents(streamed, "the event stream a page opened before the failover");
    }

    /**
     * {@code events} are the embedded run's, as if one worker had trained without a break: ids 1, 2,
     * 3, …, none repeated or skipped, each with the embedded event's type, step, loss, validation
     * loss and sample text, ending with {@code done}. (Times and speeds differ, so they are not compared.)
     */
    private static void assertTheEmbeddedRunsEvents(List<ProgressHistory.Event> events, String where) {
        assertEquals(embeddedEvents.size(), events.size(), where + ": as many events as the embedded run, none repeated, none skipped");
        for (int i = 0; i < events.size(); i++) {
            ProgressHistory.Event expected = embeddedEvents.get(i), got = events.get(i);
            String which = where + ", event " + (i + 1) + ": " + got;
            assertEquals(i + 1, got.id(), which);
            assertEquals(expected.type(), got.type(), which);
            for (String field : List.of("step", "loss", "valLoss", "text")) {
                Object e = expected.data().get(field), g = got.data().get(field);
                if (e instanceof Number en && g instanceof Number gn) assertEquals(en.doubleValue(), gn.doubleValue(), which + " " + field);
                else assertEquals(e, g, which + " " + field);
            }
        }
        assertEquals("done", events.get(events.size() - 1).type(), where);
    }

    /** Queues the job through the web node, as a learner's page does; the web node copies its corpus into rnn_corpora. */
    private static String queueTheJob() {
        Map<String, Object> form = new LinkedHashMap<>(SPEC);
        form.put("corpusId", webCorpusId);
        Api.Reply queued = api.postJson("/api/jobs", form);
        assertEquals(202, queued.status(), queued.text());
        return queued.get("id").asText();
    }

    /** A page following the job on the web node: its event stream, read until the web node ends it after the final event. */
    private static CompletableFuture<String> followOnTheWebNode(String jobId) {
        return CompletableFuture.supplyAsync(() -> api.events("/api/jobs/" + jobId + "/events", null));
    }

    private static byte[] model(String jobId) throws SQLException {
        return StoredJob.model(db, jobId);
    }

    private static long checkpointStep(String jobId) {
        String step = query("SELECT checkpoint_step::text FROM rnn_jobs WHERE id = ?", jobId);
        return step == null ? 0 : Long.parseLong(step);
    }

    private static String pickedBy(String jobId) {
        return query("SELECT picked_by FROM scheduled_tasks WHERE task_instance = ? AND picked", jobId);
    }

    private static String query(String sql, String jobId) {
        return StoredJob.query(db, sql, jobId);
    }

    /** Figures for docs/scale.md, printed only when asked ({@code -Drnn.report=true}): tests are silent. */
    private static void report(String line) {
        if (Boolean.getBoolean("rnn.report")) System.out.println("WorkerFailoverTest: " + line);
    }
}

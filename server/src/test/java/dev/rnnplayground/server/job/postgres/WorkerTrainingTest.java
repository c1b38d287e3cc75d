package dev.rnnplayground.server.job.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.PostgresCluster;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.job.JobSpec;
import dev.rnnplayground.server.job.ProgressHistory;
import dev.rnnplayground.server.training.TrainingLoop;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two workers, one job, in one JVM: worker A trains past a checkpoint, then loses its claim (as
 * when db-scheduler revives the job after A stopped heartbeating); A stops at its next write and
 * worker B resumes from the last checkpoint A committed. The final weights equal an uninterrupted
 * run's byte for byte, and the events read as one run's. {@code WorkerFailoverTest} does the same
 * with real {@code rnn worker} processes (kill -9, SIGSTOP); this checks what it rests on, in seconds.
 */
class WorkerTrainingTest {

    @RegisterExtension
    static final PostgresCluster CLUSTER = new PostgresCluster();

    static final long STEPS = 600;

    @Test
    void aJobResumedByAnotherWorkerEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
        try (Database db = Database.open(CLUSTER.databaseUrl())) {
            trainTwiceOverOneJob(db);
        }
    }

    private static void trainTwiceOverOneJob(Database db) throws Exception {
        String jobId = "job-resumed";
        new JobQueue(db).enqueue(jobId, "{}");
        setQueueRow(db, jobId, 2);   // picked by A, as db-scheduler leaves it
        TrainConfig config = JobSpec.of("corpus", Map.of("cell", "lstm", "hidden", 24, "seqLength", 24, "batchSize", 4,
                "steps", STEPS, "seed", 11, "evalEvery", 200, "sampleEvery", 300, "checkpointEvery", 50)).withDefaults().toConfig();

        WorkerTraining a = new WorkerTraining(new Lease(jobId, 2), db);
        CompletableFuture<WorkerTraining.Result> resultA = CompletableFuture.supplyAsync(() -> {
            try {
                return a.run(config, TestTexts.VERSE, Engines.fastest());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until(Duration.ofSeconds(60), () -> checkpointStep(db, jobId) >= 100 || resultA.isDone());
        setQueueRow(db, jobId, 4);   // revived (3) and picked by B (4)
        WorkerTraining.Result stopped = resultA.get(60, TimeUnit.SECONDS);
        assertTrue(stopped.leaseLost(), "A noticed it lost the job");
        assertEquals(TrainingLoop.Outcome.CANCELLED, stopped.outcome(), "A stopped before the end");
        long resumeFrom = checkpointStep(db, jobId);

        WorkerTraining.Result finished = new WorkerTraining(new Lease(jobId, 4), db).run(config, TestTexts.VERSE, Engines.fastest());
        assertEquals(TrainingLoop.Outcome.FINISHED, finished.outcome());
        assertTrue(resumeFrom >= 100 && resumeFrom < STEPS, "B resumed from A's checkpoint at step " + resumeFrom);

        Trainer uninterrupted = new Trainer(config, TestTexts.VERSE, null, Engines.fastest());
        while (!uninterrupted.isDone()) uninterrupted.step();
        assertArrayEquals(ModelFile.write(uninterrupted.model(), DType.F32), ModelFile.write(finished.trainer().model(), DType.F32),
                "the resumed run ends with the weights of an uninterrupted one");

        List<ProgressHistory.Event> events = new Events(db).after(jobId, 0);
        long stride = TrainingLoop.strideFor(STEPS);
        long expectedStep = stride;
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).id(), "event ids run 1, 2, 3, …");
            if (!events.get(i).type().equals("progress")) continue;
            assertEquals(expectedStep, ((Number) events.get(i).data().get("step")).longValue(), "progress points neither repeat nor skip");
            expectedStep += stride;
        }
        assertEquals(STEPS + stride, expectedStep, "the last point is the last step");
    }

    private static void setQueueRow(Database db, String jobId, long version) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "UPDATE scheduled_tasks SET picked = true, picked_by = 'test', last_heartbeat = now(), version = ? WHERE task_instance = ?")) {
            s.setLong(1, version);
            s.setString(2, jobId);
            assertEquals(1, s.executeUpdate());
        }
    }

    private static long checkpointStep(Database db, String jobId) {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT checkpoint_step FROM rnn_jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.rnnplayground.server.job.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.rnnplayground.server.PostgresCluster;
import dev.rnnplayground.server.job.ProgressHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job's state in PostgreSQL on a real cluster: checkpoints come back byte for byte and replacing
 * one frees the old; events come back in order and a resumed job cuts them back to its checkpoint;
 * and a worker whose claim db-scheduler has given to another worker writes neither.
 */
class JobStateInPostgresTest {

    @RegisterExtension
    static final PostgresCluster CLUSTER = new PostgresCluster();

    static Database db;
    static Checkpoints checkpoints;
    static Events events;

    @BeforeAll
    static void open() throws SQLException {
        db = Database.open(CLUSTER.databaseUrl());
        checkpoints = new Checkpoints(db);
        events = new Events(db);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void aCheckpointComesBackByteForByteAndReplacingItFreesTheOld() throws Exception {
        Lease lease = claimedByHand("job-roundtrip", 7);
        assertTrue(checkpoints.read("job-roundtrip").isEmpty(), "no checkpoint before the first");

        byte[] first = randomBytes(3_000_001, 1);   // several chunks, the last one short
        checkpoints.save(lease, 100, first);
        long firstObject = checkpointObject("job-roundtrip");
        byte[] second = randomBytes(2_500_000, 2);
        checkpoints.save(lease, 200, second);

        Checkpoints.Stored stored = checkpoints.read("job-roundtrip").orElseThrow();
        assertEquals(200, stored.step());
        assertArrayEquals(second, stored.bytes());
        assertEquals(0, largeObjectsWithOid(firstObject), "the first checkpoint's large object was deleted with the pointer's move");
        assertEquals(1, largeObjectsWithOid(checkpointObject("job-roundtrip")));
    }

    @Test
    void eventsComeBackInOrderAndAResumedJobCutsThemBackToItsCheckpoint() throws Exception {
        Lease lease = claimedByHand("job-events", 3);
        for (long step = 10; step <= 40; step += 10) {
            assertEquals(step / 10, events.append(lease, "progress", progress(step)));
        }
        events.append(lease, "sample", new LinkedHashMap<>(Map.of("step", 40, "text", "To be, or")));
        List<ProgressHistory.Event> all = events.after("job-events", 0);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), all.stream().map(ProgressHistory.Event::id).toList());
        assertEquals(progress(30), all.get(2).data(), "the fields come back as written");
        assertEquals("sample", all.get(4).type());
        assertEquals(List.of(4L, 5L), events.after("job-events", 3).stream().map(ProgressHistory.Event::id).toList());

        events.truncateAfter(lease, 20);   // resumed from the checkpoint at step 20
        assertEquals(List.of(1L, 2L), events.after("job-events", 0).stream().map(ProgressHistory.Event::id).toList());
        assertEquals(3, events.append(lease, "progress", progress(30)), "the resumed run numbers on from the cut");

        Lease stale = new Lease("job-events", 2);
        assertThrows(LeaseLostException.class, () -> events.append(stale, "progress", progress(40)));
        assertThrows(LeaseLostException.class, () -> events.truncateAfter(stale, 0));
        assertEquals(3, events.after("job-events", 0).size(), "a lost lease added and deleted nothing");
    }

    private static Map<String, Object> progress(long step) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("step", (int) step);
        p.put("loss", 4.0 - step / 100.0);
        p.put("valLoss", null);
        return p;
    }

    /** A job the web node queues in one transaction is one db-scheduler claims: the fit of the two tables. */
    @Test
    void aQueuedJobIsClaimedByDbScheduler() throws Exception {
        String jobId = "job-queued";
        new JobQueue(db).enqueue(jobId, "{\"id\": \"job-queued\"}");
        CompletableFuture<Lease> claimed = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);   // the job holds its claim until released
        Scheduler worker = scheduler("W", Duration.ofSeconds(1), jobId, claimed, release);
        try {
            worker.start();
            Lease lease = claimed.get(30, TimeUnit.SECONDS);
            assertEquals(2, lease.version(), "db-scheduler picked our version-1 row, making it 2");
            checkpoints.save(lease, 10, new byte[] {1});   // the claim it made fences our writes
        } finally {
            release.countDown();
            worker.stop();
        }
    }

    /**
     * Worker A claims the job, then stops heartbeating (its last heartbeat is set an hour back,
     * as if it had been frozen); worker B declares the execution dead, revives it and claims it.
     * A's lease no longer writes; B's does; the checkpoint is B's.
     */
    @Test
    void aWorkerThatLostItsJobWritesNothing() throws Exception {
        String jobId = "job-fenced";
        insertJob(jobId);
        CompletableFuture<Lease> claimedByA = new CompletableFuture<>();
        CompletableFuture<Lease> claimedByB = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        // A heartbeats every 10 minutes (so not again during the test), B every second
        Scheduler a = scheduler("A", Duration.ofMinutes(10), jobId, claimedByA, release);
        Scheduler b = null;
        try {
            a.start();
            a.schedule(trainTask(jobId, claimedByA, release).instance(jobId), Instant.now());
            Lease leaseA = claimedByA.get(30, TimeUnit.SECONDS);
            checkpoints.save(leaseA, 50, new byte[] {1, 2, 3});

            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                    "UPDATE scheduled_tasks SET last_heartbeat = now() - interval '1 hour' WHERE task_instance = ?")) {
                s.setString(1, jobId);
                s.executeUpdate();
            }
            b = scheduler("B", Duration.ofSeconds(1), jobId, claimedByB, release);
            b.start();
            Lease leaseB = claimedByB.get(30, TimeUnit.SECONDS);
            assertTrue(leaseB.version() > leaseA.version(), "B's claim is newer: " + leaseA + " then " + leaseB);

            assertThrows(LeaseLostException.class, () -> checkpoints.save(leaseA, 60, new byte[] {6, 6, 6}));
            assertArrayEquals(new byte[] {1, 2, 3}, checkpoints.read(jobId).orElseThrow().bytes(), "A's late write left nothing");
            checkpoints.save(leaseB, 70, new byte[] {7, 7});
            Checkpoints.Stored stored = checkpoints.read(jobId).orElseThrow();
            assertEquals(70, stored.step());
            assertArrayEquals(new byte[] {7, 7}, stored.bytes());
        } finally {
            release.countDown();
            a.stop();
            if (b != null) b.stop();
        }
    }

    private static Scheduler scheduler(String name, Duration heartbeat, String jobId, CompletableFuture<Lease> claimed,
                                       CountDownLatch release) {
        return Scheduler.create(db.dataSource(), trainTask(jobId, claimed, release))
                .schedulerName(new SchedulerName.Fixed(name))
                .threads(1)
                .pollingInterval(Duration.ofMillis(200))
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(4)
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
    }

    /**
     * A training stand-in: reports the lease it was given for {@code jobId} and holds the job until
     * released. Other tests' rows, claimed by hand, it lets go at once.
     */
    private static OneTimeTask<Void> trainTask(String jobId, CompletableFuture<Lease> claimed, CountDownLatch release) {
        return Tasks.oneTime(Lease.TASK).execute((instance, context) -> {
            if (!instance.getId().equals(jobId)) return;
            claimed.complete(new Lease(instance.getId(), context.getExecution().version));
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A job row and its queue row as db-scheduler leaves it once picked, at {@code version}. */
    private static Lease claimedByHand(String jobId, long version) throws SQLException {
        insertJob(jobId);
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO scheduled_tasks"
                + " (task_name, task_instance, execution_time, picked, picked_by, last_heartbeat, version)"
                + " VALUES (?, ?, now(), true, 'test', now(), ?)")) {
            s.setString(1, Lease.TASK);
            s.setString(2, jobId);
            s.setLong(3, version);
            s.executeUpdate();
        }
        return new Lease(jobId, version);
    }

    private static void insertJob(String jobId) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO rnn_jobs (id, record) VALUES (?, '{}')")) {
            s.setString(1, jobId);
            s.executeUpdate();
        }
    }

    private static long checkpointObject(String jobId) throws SQLException {
        return queryLong("SELECT checkpoint_oid FROM rnn_jobs WHERE id = '" + jobId + "'");
    }

    private static long largeObjectsWithOid(long oid) throws SQLException {
        return queryLong("SELECT count(*) FROM pg_largeobject_metadata WHERE oid = " + oid);
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            return r.getLong(1);
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}

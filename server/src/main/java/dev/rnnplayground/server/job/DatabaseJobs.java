package dev.rnnplayground.server.job;

import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.job.postgres.Database;
import dev.rnnplayground.server.job.postgres.JobQueue;
import dev.rnnplayground.server.job.postgres.JobRows;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs queued in PostgreSQL and trained by workers on other machines ({@code rnn serve --database}).
 * The web node keeps each job's record and {@link ProgressHistory} as on one machine, so the
 * listing and the event streams work unchanged: one thread looks at every unfinished job about
 * every {@value #POLL_MILLIS} ms and copies in what its worker wrote (status, new events, and
 * once stored the model, streamed into this node's {@link ModelService} before the final event
 * is shown, so a page that reads "done" finds the model). The database is the truth: at a start
 * the jobs are read from it, never from the data directory. While it cannot be reached the job
 * routes answer 503 and the look goes on, so they come back by themselves.
 */
final class DatabaseJobs implements JobBackend {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseJobs.class);
    /** How often unfinished jobs are looked at: with the event streams' tick, what a worker's event waits before the page gets it. */
    static final long POLL_MILLIS = 500;
    static final String UNREACHABLE = "The job database is unreachable; the jobs come back here once it is,"
            + " and the models, corpora and page still work meanwhile.";

    private final JobQueue queue;
    private final JobRows rows;
    private final CorpusService corpora;
    private final ModelService models;
    private volatile boolean reachable = true;
    private Supplier<Collection<JobEntry>> jobs;
    private ScheduledExecutorService follower;

    DatabaseJobs(Database db, CorpusService corpora, ModelService models) {
        this.queue = new JobQueue(db);
        this.rows = new JobRows(db);
        this.corpora = corpora;
        this.models = models;
    }

    @Override
    public List<JobEntry> load() {
        List<JobRows.Seen> all;
        try {
            all = rows.all();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the jobs from the database: " + e.getMessage(), e);
        }
        List<JobEntry> out = new ArrayList<>();
        for (JobRows.Seen seen : all) {
            Job job;
            try {
                job = Jackson.MAPPER.readValue(seen.row().record(), Job.class);
            } catch (Exception unreadable) {
                LOG.error("job {}: its record in rnn_jobs cannot be read; it is left out ({})", seen.row().id(), unreadable.getMessage());
                continue;
            }
            JobEntry entry = new JobEntry(job, new ProgressHistory(List.of()));
            try {
                follow(entry, seen);
            } catch (SQLException e) {
                throw new IllegalStateException("could not read job " + job.id() + " from the database: " + e.getMessage(), e);
            }
            out.add(entry);
        }
        return out;
    }

    @Override
    public void queue(JobEntry entry, Corpus corpus) {
        Job job = entry.job();
        try {
            queue.enqueue(job.id(), Jackson.toString(job), new JobQueue.CorpusText(corpus.id(), corpus.name(), corpora.text(corpus.id())));
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    @Override
    public void cancel(JobEntry entry) {
        try {
            rows.cancel(entry.job().id(), JobModel.endEvent(entry.job().step(), null));
            // a job no worker had is cancelled now: show it at once, as on one machine
            JobRows.Seen seen = rows.look(Map.of(entry.job().id(), Math.max(0, entry.history.lastId() - 1))).get(entry.job().id());
            if (seen != null) follow(entry, seen);
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    /**
     * Not built yet with a database: the worker keeps the cancelled job's model and checkpoint, but
     * queuing it again (a new queue row, the events after the checkpoint cut, the kept model's large
     * object left alone) is still to do. Refused before the job's record is touched.
     */
    @Override
    public void checkCanResume() {
        throw new ServiceException(ServiceException.Kind.CONFLICT, "Resume not available",
                "Resume works on one machine only for now; with --database the cancelled job's model is kept, start a new job to train further.");
    }

    @Override
    public void requeue(JobEntry entry) {
        throw new IllegalStateException("checkCanResume refuses every resume");
    }

    @Override
    public synchronized void start(Supplier<Collection<JobEntry>> jobs) {
        if (follower != null) return;
        this.jobs = jobs;
        follower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rnn-job-follower");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(this::lookAtUnfinishedJobs, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService f;
        synchronized (this) {
            f = follower;
        }
        if (f == null) return;
        f.shutdownNow();
        try {
            f.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void checkReachable() {
        if (!reachable) throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "Job database unreachable", UNREACHABLE);
    }

    /** One look at every unfinished job; the database is asked even when there is none, so an outage is noticed. */
    private void lookAtUnfinishedJobs() {
        Map<String, JobEntry> open = new LinkedHashMap<>();
        Map<String, Long> after = new LinkedHashMap<>();
        for (JobEntry e : jobs.get()) {
            if (e.job().status().isFinished()) continue;
            open.put(e.job().id(), e);
            // from the last event on: it must come back unchanged, else the history was cut back (see follow)
            after.put(e.job().id(), Math.max(0, e.history.lastId() - 1));
        }
        Map<String, JobRows.Seen> seen;
        try {
            seen = rows.look(after);
        } catch (SQLException e) {
            if (reachable) LOG.warn("the job database is unreachable ({}); job routes answer 503 until it is back", e.getMessage());
            reachable = false;
            return;
        }
        if (!reachable) LOG.info("the job database is reachable again");
        reachable = true;
        for (Map.Entry<String, JobRows.Seen> s : seen.entrySet()) {
            try {
                follow(open.get(s.getKey()), s.getValue());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("job {}: could not follow it this time: {}", s.getKey(), e.toString());
            }
        }
    }

    /**
     * Brings a job's record and history up to its row and the events after its last one. The look
     * starts at the web node's last event: when that is gone or changed, a worker resumed the job
     * from a checkpoint and cut its history back, so it is read again from the start.
     */
    private void follow(JobEntry e, JobRows.Seen seen) throws SQLException {
        String id = e.job().id();
        List<ProgressHistory.Event> events = seen.events();
        long last = e.history.lastId();
        if (last > 0) {
            ProgressHistory.Event mine = e.history.after(last - 1).get(0);
            ProgressHistory.Event theirs = events.isEmpty() ? null : events.get(0);
            if (theirs != null && theirs.id() == mine.id() && theirs.type().equals(mine.type()) && theirs.data().equals(mine.data())) {
                events = events.subList(1, events.size());
            } else {
                LOG.info("job {}: its worker cut its history back; reading it again", id);
                seen = rows.look(Map.of(id, 0L)).get(id);
                if (seen == null) return;
                events = seen.events();
                e.history.clear();
            }
        }
        JobRows.Row row = seen.row();
        // running once its worker says so or has reported a step (a short job may end between two looks)
        boolean begun = row.status().equals("running") || events.stream().anyMatch(event -> !event.isFinal());
        if (begun && e.job().status() == JobStatus.QUEUED) {
            e.update(j -> j.started(0, j.steps(), Instant.now().toString()));
        }
        for (ProgressHistory.Event event : events) {
            if (event.id() != e.history.lastId() + 1) {
                LOG.warn("job {}: event {} does not follow event {}; waiting for the next look", id, event.id(), e.history.lastId());
                return;
            }
            // the record first, then the event: a client that sees the event and asks for the job sees it too
            Map<String, Object> d = event.data();
            switch (event.type()) {
                case "progress" -> e.update(j -> j.progressed(whole(d, "step"), number(d, "loss"), number(d, "valLoss"),
                        orZero(number(d, "charsPerSecond")), orZero(number(d, "etaSeconds")), orZero(number(d, "trainingSeconds"))));
                case "warning" -> e.update(j -> j.warned((String) d.get("message")));
                case "done", "failed", "cancelled" -> {
                    ModelInfo model = storeModel(e.job(), row, d);
                    JobStatus end = JobStatus.valueOf(event.type().toUpperCase(Locale.ROOT));
                    String at = Instant.now().toString();
                    long step = whole(d, "step");
                    // as one machine records it (JobRunner.finish): a job cancelled once it had trained
                    // ends at the step its kept model has, not at its last progress point
                    e.update(j -> end == JobStatus.CANCELLED && step > 0 ? j.cancelledAfterTraining(step, model, at)
                            : j.finished(end, (String) d.get("reason"), model == null ? null : model.id(), at));
                }
                default -> {
                }
            }
            e.history.add(event.type(), d);
        }
    }

    /**
     * Stores the model the job's worker wrote, streamed from its large object (once: a model
     * already stored for the job is its), and returns it; null when the job left none.
     */
    private ModelInfo storeModel(Job job, JobRows.Row row, Map<String, Object> end) throws SQLException {
        if (row.modelOid() == null || row.modelId() == null) return null;
        Optional<ModelInfo> stored = models.findByJob(job.id(), whole(end, "step"));
        if (stored.isPresent()) return stored.get();
        long step = whole(end, "step");
        ModelInfo.Training training = new ModelInfo.Training(JobModel.name(job, step, job.steps()), job.spec().corpusId(), job.corpusName(), job.id(),
                number(end, "loss"), number(end, "valLoss"), orZero(number(end, "trainingSeconds")), whole(end, "step"), Map.of(), job.owner());
        try {
            return rows.readModel(row.modelOid(), in -> models.addTrained(row.modelId(), in, training));
        } catch (ServiceException refused) {
            // a file this server would not import: the job ends without a model rather than trying forever
            LOG.error("job {}: the model its worker stored was refused: {}", job.id(), refused.getMessage());
            return null;
        }
    }

    private static ServiceException unreachable(SQLException e) {
        LOG.warn("the job database refused a request: {}", e.getMessage());
        return new ServiceException(ServiceException.Kind.UNAVAILABLE, "Job database unreachable", UNREACHABLE);
    }

    private static Double number(Map<String, Object> data, String key) {
        return data.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static long whole(Map<String, Object> data, String key) {
        return data.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static double orZero(Double x) {
        return x == null ? 0 : x;
    }
}

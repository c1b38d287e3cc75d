package dev.rnnplayground.server.job;

import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs trained by this process ({@code rnn serve} without {@code --database}): kept as files
 * ({@link JobStore}) and run on a fixed pool of worker threads (training is CPU-bound: one core
 * each). On a start, queued and interrupted jobs are queued again, oldest first; an interrupted
 * one resumes from its last checkpoint.
 */
final class LocalJobs implements JobBackend {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobs.class);

    private final JobStore store;
    private final CorpusService corpora;
    private final ModelService models;
    private final JobService.Limits limits;
    private ExecutorService pool;
    private volatile boolean stopping;

    LocalJobs(Path dataDir, CorpusService corpora, ModelService models, JobService.Limits limits) {
        this.store = new JobStore(dataDir);
        this.corpora = corpora;
        this.models = models;
        this.limits = limits;
    }

    @Override
    public synchronized void queue(JobEntry entry, Corpus corpus) {
        store.create(entry.job());
        if (pool != null) submit(entry);
    }

    @Override
    public void cancel(JobEntry e) {
        if (!e.requestCancel()) return;   // a worker has it: it stops after its current step, keeps its model and records the end
        // nobody trains it: one queued again after a restart or a Resume keeps its checkpoint, and
        // points to the model it kept there if there is one
        String id = e.job().id();
        Long trained = e.job().checkpointStep();
        ModelInfo model = trained == null ? null : models.findByJob(id, trained).orElse(null);
        Map<String, Object> data = JobModel.endEvent(trained == null ? e.job().step() : trained, model);
        String at = Instant.now().toString();
        Job cancelled = e.update(j -> trained == null ? j.finished(JobStatus.CANCELLED, null, null, at)
                : j.cancelledAfterTraining(trained, model, at));
        e.history.add("cancelled", data);
        store.saveHistory(id, e.history.all());
        store.save(cancelled);
        if (trained == null) store.deleteCheckpoint(id);
    }

    @Override
    public synchronized void requeue(JobEntry e) {
        store.saveHistory(e.job().id(), e.history.all());
        store.save(e.job());
        if (pool != null) submit(e);
    }

    /** Starts the workers and queues every unfinished job, oldest first. */
    @Override
    public synchronized void start(Supplier<Collection<JobEntry>> jobs) {
        if (pool != null) return;
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rnn-job-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);   // keep the API responsive while jobs train
            return t;
        });
        jobs.get().stream().filter(e -> e.job().status() == JobStatus.QUEUED)
                .sorted(Comparator.comparing((JobEntry e) -> Instant.parse(e.job().createdAt()))).forEach(this::submit);
    }

    /** Stops the workers; running jobs checkpoint where they are and resume on the next start. */
    @Override
    public void stop() {
        stopping = true;
        ExecutorService p;
        synchronized (this) {
            p = pool;
        }
        if (p == null) return;
        p.shutdown();
        try {
            if (!p.awaitTermination(60, TimeUnit.SECONDS)) LOG.warn("jobs did not stop within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(JobEntry entry) {
        pool.execute(() -> {
            if (stopping || entry.job().status() != JobStatus.QUEUED || !entry.claim()) return;
            try {
                new JobRunner(entry, store, corpora, models, () -> stopping, limits.checkpointSeconds()).run();
            } finally {
                entry.release();   // a cancelled job can be resumed from here on
            }
        });
    }

    /** Reads every job; an interrupted one goes back to the queue, cut back to its last checkpoint. */
    @Override
    public List<JobEntry> load() {
        List<JobEntry> out = new ArrayList<>();
        for (JobStore.Stored s : store.loadAll()) {
            Job job = s.job();
            ProgressHistory history = new ProgressHistory(s.history());
            JobEntry entry = new JobEntry(job, history);
            if (!job.status().isFinished()) {
                Optional<ModelInfo> model = models.findByJob(job.id(), job.steps());
                if (model.isPresent()) {
                    // the model was stored just before a crash: the job had finished
                    Map<String, Object> data = JobModel.endEvent(job.steps(), model.get());
                    history.truncateAfter(job.steps());
                    history.add("done", data);
                    store.saveHistory(job.id(), history.all());
                    job = entry.update(j -> j.finished(JobStatus.DONE, null, model.get().id(), Instant.now().toString()));
                    store.save(job);
                } else {
                    long resumeStep = store.checkpointStep(job.id());
                    history.truncateAfter(resumeStep);
                    job = entry.update(j -> j.withStatus(JobStatus.QUEUED));
                    store.save(job);
                }
            }
            out.add(entry);
        }
        return out;
    }
}

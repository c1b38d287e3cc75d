package dev.rnnplayground.server.job;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.server.common.Names;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.server.common.CreationTime;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training jobs: checks and queues new ones, runs them on a fixed pool of worker threads (training
 * is CPU-bound: one core each), cancels them, and on a restart picks up where they stopped.
 * Queued and interrupted jobs are queued again, oldest first; an interrupted one resumes from its
 * last checkpoint.
 */
public final class JobService {

    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    /**
     * @param workers           jobs that train at once
     * @param maxQueued         jobs that may wait for a worker
     * @param checkpointSeconds a running job checkpoints at least this often
     * @param perLearner        jobs one learner may have queued or running at once (the teacher has no cap)
     */
    public record Limits(int workers, int maxQueued, double checkpointSeconds, int perLearner) {
        /** Two: one training while the next waits, so no learner fills the queue the class shares. */
        public static final int PER_LEARNER = 2;
    }

    private final JobStore store;
    private final CorpusService corpora;
    private final ModelService models;
    private final Limits limits;
    private final Map<String, JobEntry> jobs = new ConcurrentHashMap<>();
    private ExecutorService pool;
    private volatile boolean stopping;

    public JobService(Path dataDir, CorpusService corpora, ModelService models, Limits limits) {
        this.store = new JobStore(dataDir);
        this.corpora = corpora;
        this.models = models;
        this.limits = limits;
        load();
        corpora.setInUseCheck(this::usesCorpus);
    }

    /** Checks a request and queues the job as {@code who}'s. */
    public Job create(JobSpec request, Identity who) {
        if (request == null) throw ServiceException.invalid("The body must be a JSON object with at least a corpusId.");
        JobSpec spec = request.withDefaults();
        List<String> errors = spec.validate();
        if (!errors.isEmpty()) throw refusal(errors);
        // the corpus cannot be deleted between this check and the job being listed as using it
        JobSpec checked = spec;
        return corpora.whileKept(spec.corpusId(), corpus -> queue(checked, corpus, who));
    }

    private Job queue(JobSpec request, Corpus corpus, Identity who) {
        who.requireVisible(corpus.owner(), Ids.Kind.CORPUS, corpus.id());
        JobSpec spec = request;
        checkFits(spec, corpus);
        MemoryBudget.check(spec, corpus.distinctSymbols(), corpus.symbolCount(), MemoryBudget.perJob(limits.workers()));
        if (stopping) throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "Shutting down", "The server is stopping; try again after it restarts.");
        synchronized (this) {
            long queued = jobs.values().stream().filter(e -> e.job().status() == JobStatus.QUEUED).count();
            if (queued >= limits.maxQueued()) {
                throw new ServiceException(ServiceException.Kind.TOO_MANY, "Too many queued jobs",
                        "There are already " + queued + " jobs waiting for a worker; cancel one or wait.");
            }
            refuseOverLearnerCap(who);
            spec = spec.withName(Names.clean(spec.name(), ""));
            if (spec.name().isEmpty()) {
                TrainConfig c = spec.toConfig();
                String size = c.cell() == CellType.BIGRAM ? "" : "-" + c.hidden() + (c.layers() > 1 ? "x" + c.layers() : "");
                spec = spec.withName(c.cell().id() + size + " on " + corpus.name());
            }
            Job job = Job.queued(Ids.newId(Ids.Kind.JOB), spec.name(), spec, corpus.name(), spec.toConfig().steps(),
                    CreationTime.next(), who.owner());
            store.create(job);
            JobEntry entry = new JobEntry(job, new ProgressHistory(List.of()));
            jobs.put(job.id(), entry);
            if (pool != null) submit(entry);
            LOG.info("queued job {} '{}'", job.id(), job.name());
            return job;
        }
    }

    /** The jobs {@code who} may see, newest first. */
    public List<Job> list(Identity who) {
        List<Job> all = new ArrayList<>();
        jobs.values().stream().map(JobEntry::job).filter(j -> who.maySee(j.owner())).forEach(all::add);
        all.sort(Comparator.comparing((Job j) -> Instant.parse(j.createdAt())).reversed().thenComparing(Job::id));
        return all;
    }

    public Job get(String id) {
        return entry(id).job();
    }

    public Job get(String id, Identity who) {
        return entry(id, who).job();
    }

    public ProgressHistory history(String id, Identity who) {
        return entry(id, who).history;
    }

    /** Cancels a queued or running job; a running one stops after its current step. */
    public Job cancel(String id, Identity who) {
        JobEntry e = entry(id);
        who.requireChange(e.job().owner(), Ids.Kind.JOB, id);
        synchronized (this) {
            JobStatus s = e.job().status();
            if (s.isFinished()) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, "Job already finished",
                        "Job " + id + " is " + s.id() + "; only queued or running jobs can be cancelled.");
            }
            if (e.requestCancel()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("step", e.job().step());
                Job cancelled = e.update(j -> j.finished(JobStatus.CANCELLED, null, null, Instant.now().toString()));
                e.history.add("cancelled", data);
                store.saveHistory(id, e.history.all());
                store.save(cancelled);
                store.deleteCheckpoint(id);
            }
        }
        return e.job();
    }

    /** Whether a queued or running job trains on this corpus. */
    public boolean usesCorpus(String corpusId) {
        return jobs.values().stream().anyMatch(e -> !e.job().status().isFinished() && corpusId.equals(e.job().spec().corpusId()));
    }

    /** Starts the workers and queues every unfinished job, oldest first. */
    public synchronized void start() {
        if (pool != null) return;
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rnn-job-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);   // keep the API responsive while jobs train
            return t;
        });
        jobs.values().stream().map(JobEntry::job).filter(j -> j.status() == JobStatus.QUEUED)
                .sorted(Comparator.comparing((Job j) -> Instant.parse(j.createdAt()))).forEach(j -> submit(jobs.get(j.id())));
    }

    /** Stops the workers; running jobs checkpoint where they are and resume on the next start. */
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
            new JobRunner(entry, store, corpora, models, () -> stopping, limits.checkpointSeconds()).run();
        });
    }

    private JobEntry entry(String id) {
        JobEntry e = jobs.get(Ids.require(Ids.Kind.JOB, id));
        if (e == null) throw ServiceException.notFound("job", id);
        return e;
    }

    /** As {@link #entry(String)}, answered as missing (404) when {@code who} may not see the job. */
    private JobEntry entry(String id, Identity who) {
        JobEntry e = entry(id);
        who.requireVisible(e.job().owner(), Ids.Kind.JOB, id);
        return e;
    }

    /** A learner may have {@link Limits#perLearner} jobs queued or running; the teacher any number. */
    private void refuseOverLearnerCap(Identity who) {
        if (who.isTeacher()) return;
        long mine = jobs.values().stream().map(JobEntry::job)
                .filter(j -> !j.status().isFinished() && who.owner().equals(j.owner())).count();
        if (mine >= limits.perLearner()) {
            throw new ServiceException(ServiceException.Kind.TOO_MANY, "Too many jobs of yours",
                    "You have " + mine + " jobs queued or running, the most one learner may have; wait for one to finish or cancel one.");
        }
    }

    /** The text must hold one window per stream, and the network must fit the server. */
    private static void checkFits(JobSpec request, Corpus corpus) {
        TrainConfig spec = request.toConfig();
        long symbols = corpus.symbolCount();
        long training = symbols - (long) Math.floor(symbols * spec.valFraction());
        long needed = (long) spec.batchSize() * spec.seqLength() + 1;
        if (training < needed) {
            throw new ServiceException(ServiceException.Kind.INVALID, "Corpus too short",
                    "The corpus has " + training + " training symbols, but batchSize " + spec.batchSize() + " x seqLength "
                            + spec.seqLength() + " needs at least " + needed + "; lower them or use a longer text.",
                    Map.of("seqLength", "needs at least " + needed + " training symbols, the corpus has " + training));
        }
        long params = request.parameterCount(corpus.distinctSymbols());
        if (params > JobLimits.SERVER.maxParameters()) {
            throw new ServiceException(ServiceException.Kind.INVALID, "Model too large",
                    "This network would have " + params + " parameters; the server trains at most "
                            + JobLimits.SERVER.maxParameters() + ". Use fewer hidden units or layers.",
                    Map.of("hidden", "the network would have " + params + " parameters, at most " + JobLimits.SERVER.maxParameters()));
        }
        if (spec.steps() == 0) {
            long windows = ((training - 1) / spec.batchSize()) / spec.seqLength();
            double total = Math.ceil(spec.epochs() * windows);
            if (total > JobLimits.MAX_STEPS) {
                throw new ServiceException(ServiceException.Kind.INVALID, "Too many steps",
                        spec.epochs() + " epochs of this corpus are " + (long) total + " steps; the server runs at most "
                                + JobLimits.MAX_STEPS + ".", Map.of("epochs", "too many steps: " + (long) total));
            }
        }
    }

    static ServiceException refusal(List<String> errors) {
        Map<String, String> byField = new LinkedHashMap<>();
        for (String e : errors) {
            int colon = e.indexOf(':');
            byField.putIfAbsent(e.substring(0, colon), e.substring(colon + 1).strip());
        }
        return new ServiceException(ServiceException.Kind.INVALID, "Invalid request", String.join("; ", errors) + ".", byField);
    }

    /** Reads every job; an interrupted one goes back to the queue, cut back to its last checkpoint. */
    private void load() {
        for (JobStore.Stored s : store.loadAll()) {
            Job job = s.job();
            ProgressHistory history = new ProgressHistory(s.history());
            JobEntry entry = new JobEntry(job, history);
            if (!job.status().isFinished()) {
                Optional<ModelInfo> model = models.findByJob(job.id());
                if (model.isPresent()) {
                    // the model was stored just before a crash: the job had finished
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("step", job.steps());
                    data.put("modelId", model.get().id());
                    data.put("loss", model.get().trainLoss());
                    data.put("valLoss", model.get().valLoss());
                    data.put("trainingSeconds", model.get().trainingSeconds());
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
            jobs.put(job.id(), entry);
        }
    }
}

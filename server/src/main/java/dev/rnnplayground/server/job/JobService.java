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
import dev.rnnplayground.server.job.postgres.Database;
import dev.rnnplayground.server.model.ModelService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training jobs: checks and queues new ones, lists them with what they reported, and cancels them.
 * Where they are kept and trained is its {@link JobBackend}'s: this process's own workers
 * ({@link LocalJobs}), or workers on other machines through PostgreSQL ({@link DatabaseJobs}).
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

    private final CorpusService corpora;
    private final Limits limits;
    private final JobBackend backend;
    private final Map<String, JobEntry> jobs = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Jobs trained by this process, kept under {@code dataDir}. */
    public JobService(Path dataDir, CorpusService corpora, ModelService models, Limits limits) {
        this(corpora, limits, new LocalJobs(dataDir, corpora, models, limits));
    }

    /** Jobs queued in {@code db} for workers, their models stored in {@code models} once trained. */
    public JobService(Database db, CorpusService corpora, ModelService models, Limits limits) {
        this(corpora, limits, new DatabaseJobs(db, corpora, models));
    }

    private JobService(CorpusService corpora, Limits limits, JobBackend backend) {
        this.corpora = corpora;
        this.limits = limits;
        this.backend = backend;
        for (JobEntry e : backend.load()) jobs.put(e.job().id(), e);
        corpora.setInUseCheck(this::usesCorpus);
    }

    /** Checks a request and queues the job as {@code who}'s. */
    public Job create(JobSpec request, Identity who) {
        if (request == null) throw ServiceException.invalid("The body must be a JSON object with at least a corpusId.");
        JobSpec spec = request.withDefaults();
        List<String> errors = spec.validate();
        if (!errors.isEmpty()) throw refusal(errors);
        backend.checkReachable();
        // the corpus cannot be deleted between this check and the job being listed as using it
        JobSpec checked = spec;
        return corpora.whileKept(spec.corpusId(), corpus -> queue(checked, corpus, who));
    }

    private Job queue(JobSpec request, Corpus corpus, Identity who) {
        who.requireVisible(corpus.owner(), Ids.Kind.CORPUS, corpus.id());
        JobSpec spec = request;
        checkFits(spec, corpus);
        MemoryBudget.check(spec, corpus.distinctSymbols(), corpus.symbolCount(), MemoryBudget.perJob(limits.workers()));
        checkNotStopping();
        synchronized (this) {
            checkQueueRoom();
            refuseOverLearnerCap(who);
            spec = spec.withName(Names.clean(spec.name(), ""));
            if (spec.name().isEmpty()) {
                TrainConfig c = spec.toConfig();
                String size = c.cell() == CellType.BIGRAM ? "" : "-" + c.hidden() + (c.layers() > 1 ? "x" + c.layers() : "");
                spec = spec.withName(c.cell().id() + size + " on " + corpus.name());
            }
            Job job = Job.queued(Ids.newId(Ids.Kind.JOB), spec.name(), spec, corpus.name(), spec.toConfig().steps(),
                    CreationTime.next(), who.owner());
            JobEntry entry = new JobEntry(job, new ProgressHistory(List.of()));
            backend.queue(entry, corpus);
            jobs.put(job.id(), entry);
            LOG.info("queued job {} '{}'", job.id(), job.name());
            return job;
        }
    }

    /** The jobs {@code who} may see, newest first. */
    public List<Job> list(Identity who) {
        backend.checkReachable();
        List<Job> all = new ArrayList<>();
        jobs.values().stream().map(JobEntry::job).filter(j -> who.maySee(j.owner())).forEach(all::add);
        all.sort(Comparator.comparing((Job j) -> Instant.parse(j.createdAt())).reversed().thenComparing(Job::id));
        return all;
    }

    public Job get(String id) {
        backend.checkReachable();
        return entry(id).job();
    }

    public Job get(String id, Identity who) {
        backend.checkReachable();
        return entry(id, who).job();
    }

    /** The job's spec, also while its backend is out of reach: it never changes once queued. */
    public JobSpec spec(String id) {
        return entry(id).job().spec();
    }

    public ProgressHistory history(String id, Identity who) {
        backend.checkReachable();
        return entry(id, who).history;
    }

    /**
     * How many jobs are queued or running ahead of a queued one, created before it: where it
     * stands in the queue (0 when it is next, or already running or finished). From the jobs this
     * service holds, in both modes: a web node holds every job of its database.
     */
    public long jobsAhead(String id) {
        Job job = get(id);
        if (job.status() != JobStatus.QUEUED) return 0;
        Comparator<Job> byCreation = Comparator.comparing((Job j) -> Instant.parse(j.createdAt())).thenComparing(Job::id);
        return jobs.values().stream().map(JobEntry::job)
                .filter(j -> j.status() == JobStatus.QUEUED || j.status() == JobStatus.RUNNING)
                .filter(j -> byCreation.compare(j, job) < 0).count();
    }

    /**
     * Cancels a queued or running job. A running one stops after its current step and keeps what it
     * trained: a model, and its checkpoint for {@link #resume} ({@code JobRunner}). A queued one that
     * never trained ends at once with nothing; one queued again after a restart or a Resume keeps its
     * checkpoint, and points to the model it kept there if there is one.
     */
    public Job cancel(String id, Identity who) {
        backend.checkReachable();
        JobEntry e = entry(id);
        who.requireChange(e.job().owner(), Ids.Kind.JOB, id);
        synchronized (this) {
            JobStatus s = e.job().status();
            if (s.isFinished()) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, "Job already finished",
                        "Job " + id + " is " + s.id() + "; only queued or running jobs can be cancelled.");
            }
            backend.cancel(e);
        }
        return e.job();
    }

    /**
     * Queues a cancelled job again, to go on from the checkpoint it kept: it ends with the weights an
     * uninterrupted run reaches, as after a restart. The model kept at the cancel stays listed.
     */
    public Job resume(String id, Identity who) {
        backend.checkReachable();
        JobEntry e = entry(id);
        who.requireChange(e.job().owner(), Ids.Kind.JOB, id);
        backend.checkCanResume();
        Job job = e.job();
        if (!job.resumable()) throw notResumable(job);
        // the corpus cannot be deleted between this check and the job being listed as using it
        return corpora.whileKept(job.spec().corpusId(), corpus -> requeue(e));
    }

    private Job requeue(JobEntry e) {
        checkNotStopping();
        synchronized (this) {
            checkQueueRoom();
            Job job = e.job();
            if (!job.resumable()) throw notResumable(job);   // another request resumed it meanwhile
            if (!e.requeue(Job::requeuedFromCheckpoint)) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, "Still stopping",
                        "Job " + job.id() + " is still recording its end; try again in a moment.");
            }
            // the stream replays up to the checkpoint, without the "cancelled" that would end it
            e.history.truncateAfter(job.checkpointStep());
            backend.requeue(e);
            LOG.info("job {} resumes from step {}", job.id(), job.checkpointStep());
            return e.job();
        }
    }

    private static ServiceException notResumable(Job job) {
        return new ServiceException(ServiceException.Kind.CONFLICT, "Nothing to resume", "Job " + job.id() + " is " + job.status().id()
                + (job.status() == JobStatus.CANCELLED ? " and was cancelled before its first checkpoint; start a new job instead."
                : "; only a cancelled job can be resumed."));
    }

    private void checkNotStopping() {
        if (stopping) throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "Shutting down", "The server is stopping; try again after it restarts.");
    }

    /** Called holding the service's lock: at most {@code maxQueued} jobs wait for a worker. */
    private void checkQueueRoom() {
        long queued = jobs.values().stream().filter(e -> e.job().status() == JobStatus.QUEUED).count();
        if (queued >= limits.maxQueued()) {
            throw new ServiceException(ServiceException.Kind.TOO_MANY, "Too many queued jobs",
                    "There are already " + queued + " jobs waiting for a worker; cancel one or wait.");
        }
    }

    /** Whether a queued or running job trains on this corpus. */
    public boolean usesCorpus(String corpusId) {
        return jobs.values().stream().anyMatch(e -> !e.job().status().isFinished() && corpusId.equals(e.job().spec().corpusId()));
    }

    /** Starts training (or following) the jobs; unfinished ones resume, oldest first. */
    public void start() {
        backend.start(jobs::values);
    }

    /** Stops; running jobs checkpoint where they are and resume on the next start. */
    public void stop() {
        stopping = true;
        backend.stop();
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
}

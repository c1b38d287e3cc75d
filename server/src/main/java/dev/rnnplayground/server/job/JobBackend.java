package dev.rnnplayground.server.job;

import dev.rnnplayground.server.corpus.Corpus;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the jobs {@link JobService} accepts are kept and trained: on this machine's own pool of
 * threads, the jobs in files ({@link LocalJobs}, {@code rnn serve}), or queued in PostgreSQL for
 * workers on other machines and followed from there ({@link DatabaseJobs},
 * {@code rnn serve --database}). The checks before a job is queued, the listing and the event
 * streams are the service's, the same for both.
 */
interface JobBackend {

    /** The jobs kept so far, each with its history, oldest first; an interrupted one set to resume. */
    List<JobEntry> load();

    /** Keeps a new, queued job and hands it to whatever trains it; {@code corpus} is kept from deletion meanwhile. */
    void queue(JobEntry entry, Corpus corpus);

    /**
     * Asks an unfinished job to stop: one nobody trains yet ends cancelled at once; a running one
     * stops after its current step, keeps what it trained as a model and its checkpoint, and says
     * so in its events.
     */
    void cancel(JobEntry entry);

    /**
     * Queues again a cancelled job that kept a checkpoint (its record already set back to queued and
     * its history cut back to the checkpoint), to go on from there.
     */
    void requeue(JobEntry entry);

    /** Refuses (409) a resume this backend cannot do; called before the job's record changes. */
    default void checkCanResume() {
    }

    /** Starts training (or following) jobs; {@code jobs} gives every job the service holds, at any moment. */
    void start(Supplier<Collection<JobEntry>> jobs);

    /** Stops; running jobs resume on the next start. */
    void stop();

    /** Refuses (503) while the jobs cannot be reached; the local files always can. */
    default void checkReachable() {
    }
}

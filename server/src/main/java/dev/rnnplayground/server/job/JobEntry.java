package dev.rnnplayground.server.job;

import java.util.function.UnaryOperator;

/** One job in memory: its current record, its history, whether a user asked to cancel it, and whether a worker holds it. */
final class JobEntry {
    private volatile Job job;
    final ProgressHistory history;
    volatile boolean cancelRequested;
    private boolean claimed;

    JobEntry(Job job, ProgressHistory history) {
        this.job = job;
        this.history = history;
    }

    Job job() {
        return job;
    }

    /** A worker takes the job; false when it was cancelled first. */
    synchronized boolean claim() {
        if (cancelRequested) return false;
        claimed = true;
        return true;
    }

    /** Asks the job to stop; true when no worker has it, so the caller must finish it. */
    synchronized boolean requestCancel() {
        cancelRequested = true;
        return !claimed;
    }

    /** The worker is done with the job (it finished, failed, was cancelled or the server stops). */
    synchronized void release() {
        claimed = false;
    }

    /**
     * Queues the job again with {@code change} (Resume): false while a worker still holds it, for a
     * cancelled job that is still recording its end.
     */
    synchronized boolean requeue(UnaryOperator<Job> change) {
        if (claimed) return false;
        cancelRequested = false;
        job = change.apply(job);
        return true;
    }

    synchronized Job update(UnaryOperator<Job> change) {
        job = change.apply(job);
        return job;
    }
}

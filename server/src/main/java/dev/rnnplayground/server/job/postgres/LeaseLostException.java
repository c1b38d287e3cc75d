package dev.rnnplayground.server.job.postgres;

/**
 * A write for a job that another worker has taken since this one claimed it (this worker froze or
 * lost the database for longer than the heartbeat timeout). Nothing was written; the worker must
 * stop training the job.
 */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(Lease lease) {
        super("job " + lease.jobId() + ": lease version " + lease.version() + " is no longer the job's; another worker has it");
    }
}

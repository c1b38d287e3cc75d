package dev.rnnplayground.server.job.postgres;

/**
 * A worker's claim on a job: the job's row in db-scheduler's queue as the worker picked it. The
 * version goes up by one each time the job is picked or revived after its worker stopped
 * heartbeating, so a worker whose lease version is no longer the row's has lost the job to
 * another, and may not write for it any more ({@link Fence}).
 *
 * @param jobId   the job, db-scheduler's {@code task_instance}
 * @param version db-scheduler's {@code version} of the picked execution
 */
public record Lease(String jobId, long version) {

    /** db-scheduler's {@code task_name} for training a job. */
    public static final String TASK = "train";
}

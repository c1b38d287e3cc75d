package dev.rnnplayground.server.job;

/**
 * A training job as the API shows it and as {@code job.json} stores it. Immutable: the service
 * replaces a job's record with an updated copy, so a reader never sees half an update.
 *
 * @param id              server-made id, {@code j_} and 12 hex digits
 * @param name            for people
 * @param status          queued, running, done, failed or cancelled
 * @param spec            the hyperparameters, with every default filled in
 * @param corpusName      the corpus's name when the job was created
 * @param step            optimizer steps done
 * @param steps           steps in all
 * @param loss            recent mean training loss (nats per character)
 * @param valLoss         last validation loss
 * @param charsPerSecond  training speed since the job (re)started
 * @param etaSeconds      estimated time to finish
 * @param trainingSeconds time spent training, summed over restarts
 * @param checkpointStep  the step of the last checkpoint a restart resumes from, or null
 * @param resumedFromStep the step training last resumed from after a restart, or null
 * @param error           why the job failed, or null
 * @param warning         a problem the running job works around, e.g. a checkpoint that could not be
 *                        written; null once the next checkpoint is written
 * @param modelId         the model it made, once done
 * @param createdAt       ISO-8601 instants
 * @param startedAt       when training (last) started
 * @param finishedAt      when it was done, failed or cancelled
 */
public record Job(String id, String name, JobStatus status, JobSpec spec, String corpusName, long step, long steps,
                  Double loss, Double valLoss, Double charsPerSecond, Double etaSeconds, double trainingSeconds,
                  Long checkpointStep, Long resumedFromStep, String error, String warning, String modelId, String createdAt,
                  String startedAt, String finishedAt) {

    Job withStatus(JobStatus s) {
        return new Job(id, name, s, spec, corpusName, step, steps, loss, valLoss, charsPerSecond, etaSeconds,
                trainingSeconds, checkpointStep, resumedFromStep, error, warning, modelId, createdAt, startedAt, finishedAt);
    }

    Job started(long resumedFrom, long totalSteps, String at) {
        return new Job(id, name, JobStatus.RUNNING, spec, corpusName, resumedFrom, totalSteps, loss, valLoss, null, null,
                trainingSeconds, checkpointStep, resumedFrom > 0 ? (Long) resumedFrom : resumedFromStep, null, null, null,
                createdAt, at, null);
    }

    Job progressed(long newStep, Double newLoss, Double newValLoss, double cps, double eta, double seconds) {
        return new Job(id, name, status, spec, corpusName, newStep, steps, newLoss, newValLoss != null ? newValLoss : valLoss,
                cps, eta, seconds, checkpointStep, resumedFromStep, error, warning, modelId, createdAt, startedAt, finishedAt);
    }

    /** A checkpoint was written: a restart resumes from {@code atStep}, and any warning about checkpoints is over. */
    Job checkpointed(long atStep, double seconds) {
        return new Job(id, name, status, spec, corpusName, step, steps, loss, valLoss, charsPerSecond, etaSeconds,
                seconds, atStep, resumedFromStep, error, null, modelId, createdAt, startedAt, finishedAt);
    }

    Job warned(String message) {
        return new Job(id, name, status, spec, corpusName, step, steps, loss, valLoss, charsPerSecond, etaSeconds,
                trainingSeconds, checkpointStep, resumedFromStep, error, message, modelId, createdAt, startedAt, finishedAt);
    }

    Job finished(JobStatus s, String reason, String model, String at) {
        return new Job(id, name, s, spec, corpusName, step, steps, loss, valLoss, s == JobStatus.DONE ? charsPerSecond : null,
                null, trainingSeconds, null, resumedFromStep, reason, null, model, createdAt, startedAt, at);
    }
}

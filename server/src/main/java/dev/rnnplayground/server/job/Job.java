package dev.rnnplayground.server.job;

import static dev.rnnplayground.server.common.Jackson.required;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.rnnplayground.server.model.ModelInfo;

/**
 * A training job as the API shows it and as {@code job.json} stores it: its fields, in this
 * order, are the JSON. Immutable: the service replaces a job with an updated copy (made with
 * {@link #toBuilder()}), so a reader never sees half an update. Twenty-one fields are too many to pass
 * by position, hence the builder; Jackson reads {@code job.json} through it as well.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@JsonDeserialize(builder = Job.Builder.class)
public final class Job {

    /** Server-made id, {@code j_} and 12 hex digits. */
    private final String id;
    /** For people. */
    private final String name;
    private final JobStatus status;
    /** The hyperparameters, with every default filled in. */
    private final JobSpec spec;
    /** The corpus's name when the job was created. */
    private final String corpusName;
    /** Optimizer steps done. */
    private final long step;
    /** Steps in all. */
    private final long steps;
    /** Recent mean training loss (nats per character). */
    private final Double loss;
    /** Last validation loss. */
    private final Double valLoss;
    /** Training speed since the job (re)started. */
    private final Double charsPerSecond;
    /** Estimated time to finish. */
    private final Double etaSeconds;
    /** Time spent training, summed over restarts. */
    private final double trainingSeconds;
    /** The step of the last checkpoint a restart (or, once cancelled, a Resume) goes on from, or null. */
    private final Long checkpointStep;
    /** The step training last resumed from after a restart, or null. */
    private final Long resumedFromStep;
    /** Why the job failed, or null. */
    private final String error;
    /** A problem the running job works around (a checkpoint that could not be written); null once the next one is. */
    private final String warning;
    /** The model it made, once done. */
    private final String modelId;
    /** ISO-8601 instants: created, (last) started, and done, failed or cancelled. */
    private final String createdAt;
    private final String startedAt;
    private final String finishedAt;
    /** The learner who made it; absent for the teacher's, which every learner sees (and only the teacher cancels). */
    @JsonInclude(JsonInclude.Include.NON_NULL)   // so a job.json written before there were learners is rewritten as it was
    private final String owner;

    private Job(Builder b) {
        id = b.id;
        name = b.name;
        status = b.status;
        spec = b.spec;
        corpusName = b.corpusName;
        step = required(b.step, "step");
        steps = required(b.steps, "steps");
        loss = b.loss;
        valLoss = b.valLoss;
        charsPerSecond = b.charsPerSecond;
        etaSeconds = b.etaSeconds;
        trainingSeconds = required(b.trainingSeconds, "trainingSeconds");
        checkpointStep = b.checkpointStep;
        resumedFromStep = b.resumedFromStep;
        error = b.error;
        warning = b.warning;
        modelId = b.modelId;
        createdAt = b.createdAt;
        startedAt = b.startedAt;
        finishedAt = b.finishedAt;
        owner = b.owner;
    }

    /** A job just made: queued, at step 0 of {@code steps}; {@code owner} is the learner's name, null for the teacher. */
    static Job queued(String id, String name, JobSpec spec, String corpusName, long steps, String createdAt, String owner) {
        return new Builder().id(id).name(name).status(JobStatus.QUEUED).spec(spec).corpusName(corpusName)
                .step(0).steps(steps).trainingSeconds(0).createdAt(createdAt).owner(owner).build();
    }

    Builder toBuilder() {
        return new Builder().id(id).name(name).status(status).spec(spec).corpusName(corpusName).step(step).steps(steps)
                .loss(loss).valLoss(valLoss).charsPerSecond(charsPerSecond).etaSeconds(etaSeconds)
                .trainingSeconds(trainingSeconds).checkpointStep(checkpointStep).resumedFromStep(resumedFromStep)
                .error(error).warning(warning).modelId(modelId)
                .createdAt(createdAt).startedAt(startedAt).finishedAt(finishedAt).owner(owner);
    }

    Job withStatus(JobStatus s) {
        return toBuilder().status(s).build();
    }

    Job started(long resumedFrom, long totalSteps, String at) {
        return toBuilder().status(JobStatus.RUNNING).step(resumedFrom).steps(totalSteps)
                .charsPerSecond(null).etaSeconds(null)
                .resumedFromStep(resumedFrom > 0 ? (Long) resumedFrom : resumedFromStep)
                .error(null).warning(null).modelId(null).startedAt(at).finishedAt(null).build();
    }

    Job progressed(long newStep, Double newLoss, Double newValLoss, double cps, double eta, double seconds) {
        return toBuilder().step(newStep).loss(newLoss).valLoss(newValLoss != null ? newValLoss : valLoss)
                .charsPerSecond(cps).etaSeconds(eta).trainingSeconds(seconds).build();
    }

    /** A checkpoint was written: a restart resumes from {@code atStep}, and any warning about checkpoints is over. */
    Job checkpointed(long atStep, double seconds) {
        return toBuilder().trainingSeconds(seconds).checkpointStep(atStep).warning(null).build();
    }

    Job warned(String message) {
        return toBuilder().warning(message).build();
    }

    Job finished(JobStatus s, String reason, String model, String at) {
        return toBuilder().status(s).charsPerSecond(s == JobStatus.DONE ? charsPerSecond : null).etaSeconds(null)
                .checkpointStep(null).error(reason).warning(null).modelId(model).finishedAt(at).build();
    }

    /**
     * Cancelled once it had trained to {@code atStep}: {@code model} holds those weights (null when the
     * disk never took them) and gives the record its losses, and the last checkpoint is kept, so
     * {@code checkpointStep} stays: where a Resume goes on from (null: none was written, nothing to resume).
     */
    Job cancelledAfterTraining(long atStep, ModelInfo model, String at) {
        Builder b = finished(JobStatus.CANCELLED, null, model == null ? null : model.id(), at).toBuilder()
                .step(atStep).checkpointStep(checkpointStep);
        if (model != null) b.loss(model.trainLoss()).valLoss(model.valLoss());   // measured at atStep, not at the last progress point
        return b.build();
    }

    /** A cancelled job that kept its checkpoint: Resume queues it again from there. */
    boolean resumable() {
        return status == JobStatus.CANCELLED && checkpointStep != null;
    }

    /** Queued again by Resume, from its checkpoint: the model it kept stays listed, and the record points to the finished one later. */
    Job requeuedFromCheckpoint() {
        return toBuilder().status(JobStatus.QUEUED).step(checkpointStep).modelId(null).finishedAt(null).build();
    }

    public String id() { return id; }
    public String name() { return name; }
    public JobStatus status() { return status; }
    public JobSpec spec() { return spec; }
    public String corpusName() { return corpusName; }
    public long step() { return step; }
    public long steps() { return steps; }
    public Double loss() { return loss; }
    public Double valLoss() { return valLoss; }
    public Double charsPerSecond() { return charsPerSecond; }
    public Double etaSeconds() { return etaSeconds; }
    public double trainingSeconds() { return trainingSeconds; }
    public Long checkpointStep() { return checkpointStep; }
    public Long resumedFromStep() { return resumedFromStep; }
    public String error() { return error; }
    public String warning() { return warning; }
    public String modelId() { return modelId; }
    public String createdAt() { return createdAt; }
    public String startedAt() { return startedAt; }
    public String finishedAt() { return finishedAt; }
    public String owner() { return owner; }

    @Override
    public String toString() {
        return "Job[" + id + " " + status + " step " + step + "/" + steps + "]";
    }

    /**
     * Sets fields by name. {@code step}, {@code steps} and {@code trainingSeconds} are numbers that
     * must be set: held boxed so that a {@code job.json} without one is refused, as it always was.
     */
    @JsonPOJOBuilder(withPrefix = "")
    static final class Builder {
        private String id, name, corpusName, error, warning, modelId, createdAt, startedAt, finishedAt, owner;
        private JobStatus status;
        private JobSpec spec;
        private Long step, steps, checkpointStep, resumedFromStep;
        private Double loss, valLoss, charsPerSecond, etaSeconds, trainingSeconds;

        Builder id(String v) { id = v; return this; }
        Builder name(String v) { name = v; return this; }
        Builder status(JobStatus v) { status = v; return this; }
        Builder spec(JobSpec v) { spec = v; return this; }
        Builder corpusName(String v) { corpusName = v; return this; }
        Builder step(long v) { step = v; return this; }
        Builder steps(long v) { steps = v; return this; }
        Builder loss(Double v) { loss = v; return this; }
        Builder valLoss(Double v) { valLoss = v; return this; }
        Builder charsPerSecond(Double v) { charsPerSecond = v; return this; }
        Builder etaSeconds(Double v) { etaSeconds = v; return this; }
        Builder trainingSeconds(double v) { trainingSeconds = v; return this; }
        Builder checkpointStep(Long v) { checkpointStep = v; return this; }
        Builder resumedFromStep(Long v) { resumedFromStep = v; return this; }
        Builder error(String v) { error = v; return this; }
        Builder warning(String v) { warning = v; return this; }
        Builder modelId(String v) { modelId = v; return this; }
        Builder createdAt(String v) { createdAt = v; return this; }
        Builder startedAt(String v) { startedAt = v; return this; }
        Builder finishedAt(String v) { finishedAt = v; return this; }
        Builder owner(String v) { owner = v; return this; }

        Job build() {
            return new Job(this);
        }
    }
}

package dev.rnnplayground.server.job;

import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.training.ModelNotes;
import dev.rnnplayground.server.training.TrainingListener;
import java.util.Map;

/**
 * The one rule for what a job's run leaves as a model, whichever machine trained it: this server's
 * {@link JobRunner}, or a worker that took the job from PostgreSQL. A run that reached its last
 * step makes the finished model; a run cancelled part-way keeps what it had trained, and says so
 * in its name and in the notes its file carries ({@link ModelNotes#cancelled}), so that nobody
 * takes it for the finished run.
 */
public final class JobModel {

    /** Who made the model, in its description ("trained by the server on …"). */
    public static final String MADE_BY = "the server";

    private JobModel() {
    }

    /**
     * The model's record and notes, for {@code ModelService.addTrained(trainer.model(), …)}; its
     * {@code notes()} are what {@code ModelFile.write(trainer.model(), DType.F32, notes)} puts in the file.
     *
     * @param job     the job as queued (its name, corpus and id)
     * @param trainer the run, at its end or where it was cancelled
     * @param summary how the run stands ({@code TrainingListener.onFinish} or {@code onCancel})
     */
    public static ModelInfo.Training of(Job job, Trainer trainer, TrainingListener.Summary summary) {
        boolean cancelled = summary.steps() < trainer.totalSteps();
        Map<String, String> notes = cancelled
                ? ModelNotes.cancelled(trainer.config(), job.corpusName(), MADE_BY, summary, trainer.totalSteps())
                : ModelNotes.of(trainer.config(), job.corpusName(), MADE_BY, summary);
        String name = cancelled ? job.name() + " (cancelled " + ModelNotes.cancelledAt(summary.steps(), trainer.totalSteps()) + ")"
                : job.name();
        return new ModelInfo.Training(name, job.spec().corpusId(), job.corpusName(), job.id(), summary.trainLoss(),
                summary.validationLoss(), JobRunner.round(summary.trainingSeconds()), summary.steps(), notes);
    }
}

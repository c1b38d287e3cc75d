package dev.rnnplayground.server.job;

import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.training.ModelNotes;
import dev.rnnplayground.server.training.TrainingListener;
import java.util.LinkedHashMap;
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
        return new ModelInfo.Training(name(job, summary.steps(), trainer.totalSteps()), job.spec().corpusId(), job.corpusName(),
                job.id(), summary.trainLoss(), summary.validationLoss(), JobRunner.round(summary.trainingSeconds()), summary.steps(), notes, job.owner());
    }

    /** The model's name in the list: the job's, and where it was cancelled when it stopped before its last step. */
    public static String name(Job job, long step, long totalSteps) {
        return step < totalSteps ? job.name() + " (cancelled " + ModelNotes.cancelledAt(step, totalSteps) + ")" : job.name();
    }

    /**
     * The data of a job's last event: the step it ended at and, when it left a model ({@code done}, or
     * {@code cancelled} after training), the model's id and the losses and time the model records.
     * The same fields wherever the job trained, so that the page cannot tell which node it was.
     *
     * @param model the model it left, or null
     */
    public static Map<String, Object> endEvent(long step, ModelInfo model) {
        return model == null ? endEvent(step, null, null, null, null)
                : endEvent(step, model.id(), model.trainLoss(), model.valLoss(), model.trainingSeconds());
    }

    /** The same, from a model's record before it is stored ({@link #of}: its {@code trainLoss}, {@code valLoss}, {@code trainingSeconds}). */
    public static Map<String, Object> endEvent(long step, String modelId, Double loss, Double valLoss, Double trainingSeconds) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        if (modelId != null) {
            data.put("modelId", modelId);
            data.put("loss", loss);   // mean over the last 100 steps, as the model records it
            data.put("valLoss", valLoss);
            data.put("trainingSeconds", trainingSeconds);
        }
        return data;
    }
}

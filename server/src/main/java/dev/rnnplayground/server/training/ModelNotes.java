package dev.rnnplayground.server.training;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a trained model was made, as notes for its file's metadata ({@code ModelFile.write(model,
 * dtype, notes)}): whoever loads the file later (the server's model list, PyTorch) can read them.
 * No wall-clock time here: the same command must write the same file.
 */
public final class ModelNotes {

    private ModelNotes() {
    }

    /**
     * @param config    the run's settings
     * @param corpus    the text's name
     * @param madeBy    "rnn train" or "the server"
     * @param summary   how the run ended
     */
    public static Map<String, String> of(TrainConfig config, String corpus, String madeBy, TrainingListener.Summary summary) {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("corpus", corpus);
        notes.put("steps", Long.toString(summary.steps()));
        if (summary.trainLoss() != null) notes.put("train_loss", String.format(Locale.ROOT, "%.4f", summary.trainLoss()));
        if (summary.validationLoss() != null) notes.put("val_loss", String.format(Locale.ROOT, "%.4f", summary.validationLoss()));
        notes.put("dropout", Double.toString(config.dropout()));
        notes.put("description", description(config, corpus, madeBy, summary.steps()));
        return notes;
    }

    /**
     * The notes of a run cancelled before its end (what it had trained is kept as a model): the
     * same as {@link #of}, plus {@code cancelled} = "at step 120 of 1000", also at the end of the
     * description, so that the file says it is not the finished run wherever it is opened.
     *
     * @param totalSteps the steps the run was asked for
     */
    public static Map<String, String> cancelled(TrainConfig config, String corpus, String madeBy,
                                                TrainingListener.Summary summary, long totalSteps) {
        Map<String, String> notes = of(config, corpus, madeBy, summary);
        String when = cancelledAt(summary.steps(), totalSteps);
        notes.put("cancelled", when);
        notes.put("description", notes.get("description") + "; cancelled " + when);
        return notes;
    }

    /** "at step 120 of 1000": where a cancelled run stopped. */
    public static String cancelledAt(long step, long totalSteps) {
        return "at step " + step + " of " + totalSteps;
    }

    /**
     * "2-layer lstm, 128 hidden units, trained by rnn train on tiny.txt: 1000 steps of 32 x 50 characters, adam lr 0.002, dropout 0.2";
     * another family starts with its shape in words ("4-layer gpt with 4 heads of 128 channels and a block of 64, trained by …").
     */
    static String description(TrainConfig c, String corpus, String madeBy, long steps) {
        String shape = c.cell().recurrent() ? String.format(Locale.ROOT, "%d-layer %s, %d hidden units", c.layers(), c.cell().id(), c.hidden())
                : Architecture.describe(c.architecture().shape());
        return String.format(Locale.ROOT, "%s, trained by %s on %s: %d steps of %d x %d characters, %s lr %s%s",
                shape, madeBy, corpus, steps, c.batchSize(), c.seqLength(),
                c.optimizer().id(), c.learningRate(), c.dropout() > 0 ? ", dropout " + c.dropout() : "");
    }
}

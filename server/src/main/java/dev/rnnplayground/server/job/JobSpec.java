package dev.rnnplayground.server.job;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code POST /api/jobs} asks for: a corpus and the hyperparameters of {@code rnn train}, in
 * the same names; every field but {@code corpusId} may be left out and takes the one default
 * ({@link TrainConfig#defaults()}, where each default's reason is written). The allowed ranges are
 * {@link TrainLimits#SERVER}, tighter than the command line's. Stored with the job once
 * {@link #withDefaults() completed}.
 *
 * @param corpusId        the corpus to learn from
 * @param name            for people; default: cell, size and corpus name
 * @param cell            rnn, lstm or gru
 * @param hidden          units per layer
 * @param layers          stacked recurrent layers
 * @param seqLength       characters per BPTT window
 * @param batchSize       parallel text streams per step
 * @param optimizer       adam, rmsprop, adagrad or sgd
 * @param lr              learning rate (default: the optimizer's, {@link OptimizerType#defaultLearningRate()})
 * @param clip            gradient clipping limit, 0 = off
 * @param clipMode        norm or value
 * @param steps           optimizer steps (the default unless epochs is given)
 * @param epochs          passes over the training text, instead of steps
 * @param valFraction     share of the text held out for validation
 * @param seed            initial weights and samples
 * @param evalEvery       steps between validation losses, 0 = at the end only
 * @param sampleEvery     steps between sample events, 0 = never
 * @param checkpointEvery steps between checkpoints, 0 = by time only; a running job also
 *                        checkpoints about every 10 seconds
 * @param dropout         share of each layer's outputs dropped while training, between layers;
 *                        null in a job stored before dropout existed, which means 0
 */
public record JobSpec(String corpusId, String name, String cell, Integer hidden, Integer layers, Integer seqLength,
                      Integer batchSize, String optimizer, Double lr, Double clip, String clipMode, Long steps,
                      Double epochs, Double valFraction, Long seed, Integer evalEvery, Integer sampleEvery,
                      Integer checkpointEvery, Double dropout) {

    /** Every missing field filled with the one default. */
    public JobSpec withDefaults() {
        TrainConfig d = TrainConfig.defaults();
        String o = optimizer != null ? optimizer : d.optimizer().id();
        Double rate = lr;
        if (rate == null) {
            try {
                rate = OptimizerType.parse(o).defaultLearningRate();
            } catch (IllegalArgumentException e) {
                rate = d.learningRate();   // the optimizer's own error is reported by validate()
            }
        }
        return new JobSpec(corpusId, name, cell != null ? cell : d.cell().id(),
                hidden != null ? hidden : d.hidden(), layers != null ? layers : d.layers(),
                seqLength != null ? seqLength : d.seqLength(), batchSize != null ? batchSize : d.batchSize(), o, rate,
                clip != null ? clip : d.clip(), clipMode != null ? clipMode : d.clipMode().name().toLowerCase(Locale.ROOT),
                steps != null ? steps : epochs != null ? 0L : d.steps(), epochs != null ? epochs : d.epochs(),
                valFraction != null ? valFraction : d.valFraction(), seed != null ? seed : d.seed(),
                evalEvery != null ? evalEvery : d.evalEvery(), sampleEvery != null ? sampleEvery : d.sampleEvery(),
                checkpointEvery != null ? checkpointEvery : d.checkpointEvery(), dropout != null ? dropout : d.dropout());
    }

    /**
     * Every problem of a {@link #withDefaults() completed} spec, one "field: message" each, as
     * {@link TrainConfig#validate(TrainLimits)} words them for the server's limits.
     */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (corpusId == null) errors.add("corpusId: is required");
        CellType cellType = parse("cell", () -> CellType.parse(cell), errors);
        OptimizerType optimizerType = parse("optimizer", () -> OptimizerType.parse(optimizer), errors);
        GradientClipping.Mode mode = parse("clipMode", () -> GradientClipping.Mode.parse(clipMode), errors);
        TrainConfig config = new TrainConfig(cellType, hidden, layers, seqLength, batchSize, optimizerType, lr, clip,
                mode, steps, epochs, valFraction, seed, evalEvery, checkpointEvery, sampleEvery, dropout);
        for (String e : config.validate(TrainLimits.SERVER)) {
            String field = e.substring(0, e.indexOf(':'));
            boolean reported = errors.stream().anyMatch(x -> x.startsWith(field + ":"));
            if (!reported) errors.add(e);
        }
        if (steps != null && epochs != null && steps > 0 && epochs > 0) errors.add("epochs: give steps or epochs, not both");
        if (name != null && name.length() > 120) errors.add("name: may be at most 120 characters");
        return errors;
    }

    /** The core configuration; call only on a valid, completed spec. */
    public TrainConfig toConfig() {
        return new TrainConfig(CellType.parse(cell), hidden, layers, seqLength, batchSize, OptimizerType.parse(optimizer),
                lr, clip, GradientClipping.Mode.parse(clipMode), steps, epochs, valFraction, seed, evalEvery,
                checkpointEvery, sampleEvery, dropout == null ? 0 : dropout);
    }

    /** Weights and biases of the network this spec builds, for a vocabulary of {@code vocab} symbols. */
    public long parameterCount(int vocab) {
        long gates = CellType.parse(cell).gates();
        long h = hidden;
        long total = 0;
        for (int l = 0; l < layers; l++) total += gates * h * ((l == 0 ? vocab : h) + h + 2);
        return total + vocab * h + vocab;
    }

    public JobSpec withName(String newName) {
        return new JobSpec(corpusId, newName, cell, hidden, layers, seqLength, batchSize, optimizer, lr, clip, clipMode,
                steps, epochs, valFraction, seed, evalEvery, sampleEvery, checkpointEvery, dropout);
    }

    private static <T> T parse(String field, java.util.function.Supplier<T> parser, List<String> errors) {
        try {
            return parser.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.add(field + ": " + (e.getMessage() == null ? "is required" : e.getMessage()));
            return null;
        }
    }
}

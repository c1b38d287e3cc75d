package dev.rnnplayground.server.job;

import dev.rnnplayground.core.CellType;
import dev.rnnplayground.core.GradientClipping;
import dev.rnnplayground.core.OptimizerType;
import dev.rnnplayground.core.TrainConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code POST /api/jobs} asks for: a corpus and the hyperparameters of {@code rnn train}, in
 * the same names and with the same defaults (every field but {@code corpusId} may be left out).
 * Stored with the job once {@link #withDefaults() completed}.
 *
 * @param corpusId        the corpus to learn from
 * @param name            for people; default: cell, size and corpus name
 * @param cell            rnn, lstm or gru (default lstm)
 * @param hidden          units per layer, 1 to {@value #MAX_HIDDEN} (default 128)
 * @param layers          1 to 4 (default 1)
 * @param seqLength       characters per BPTT window (default 50)
 * @param batchSize       parallel text streams per step, 1 to {@value #MAX_BATCH} (default 1)
 * @param optimizer       adam, rmsprop, adagrad or sgd (default adam)
 * @param lr              learning rate (default 2e-3 for adam and rmsprop, 0.1 for sgd and adagrad)
 * @param clip            gradient clipping limit, 0 = off (default 5)
 * @param clipMode        norm or value (default norm)
 * @param steps           optimizer steps, 1 to {@value #MAX_STEPS} (default 1000 unless epochs is given)
 * @param epochs          passes over the training text, instead of steps
 * @param valFraction     share of the text held out for validation, 0 to 0.5 (default 0.05)
 * @param seed            initial weights and samples (default 1)
 * @param evalEvery       steps between validation losses, 0 = at the end only (default 200)
 * @param sampleEvery     steps between sample events, 0 = never (default 500)
 * @param checkpointEvery steps between checkpoints, 0 = by time only (default 1000); a running job
 *                        also checkpoints about every 10 seconds
 */
public record JobSpec(String corpusId, String name, String cell, Integer hidden, Integer layers, Integer seqLength,
                      Integer batchSize, String optimizer, Double lr, Double clip, String clipMode, Long steps,
                      Double epochs, Double valFraction, Long seed, Integer evalEvery, Integer sampleEvery,
                      Integer checkpointEvery) {

    /** Tighter than core's limits: a shared server should not take hours or gigabytes per job. */
    public static final int MAX_HIDDEN = 1024;
    public static final int MAX_BATCH = 256;
    public static final long MAX_STEPS = 1_000_000L;
    public static final long MAX_PARAMETERS = 20_000_000L;

    /** Every missing field filled with {@code rnn train}'s default. */
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
                clip != null ? clip : d.clip(), clipMode != null ? clipMode : "norm",
                steps != null ? steps : epochs != null ? 0L : 1000L, epochs != null ? epochs : 0.0,
                valFraction != null ? valFraction : d.valFraction(), seed != null ? seed : d.seed(),
                evalEvery != null ? evalEvery : 200, sampleEvery != null ? sampleEvery : 500,
                checkpointEvery != null ? checkpointEvery : 1000);
    }

    /**
     * Every problem of a {@link #withDefaults() completed} spec, one "field: message" each:
     * core's checks ({@link TrainConfig#validate()}) plus the server's tighter bounds.
     */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (corpusId == null) errors.add("corpusId: is required");
        CellType cellType = parse("cell", () -> CellType.parse(cell), errors);
        OptimizerType optimizerType = parse("optimizer", () -> OptimizerType.parse(optimizer), errors);
        GradientClipping.Mode mode = parse("clipMode", () -> GradientClipping.Mode.parse(clipMode), errors);
        TrainConfig config = new TrainConfig(cellType, hidden, layers, seqLength, batchSize, optimizerType, lr, clip,
                mode, steps, epochs, valFraction, seed, evalEvery, checkpointEvery, sampleEvery, 0);
        for (String e : config.validate()) {
            String field = e.substring(0, e.indexOf(':'));
            boolean reported = errors.stream().anyMatch(x -> x.startsWith(field + ":"));
            if (!reported) errors.add(e);
        }
        if (steps != null && epochs != null && steps > 0 && epochs > 0) errors.add("epochs: give steps or epochs, not both");
        addUnlessReported(errors, "hidden", hidden > MAX_HIDDEN, "must be 1 to " + MAX_HIDDEN + " on this server, got " + hidden);
        addUnlessReported(errors, "batchSize", batchSize > MAX_BATCH, "must be 1 to " + MAX_BATCH + " on this server, got " + batchSize);
        addUnlessReported(errors, "steps", steps > MAX_STEPS, "must be 1 to " + MAX_STEPS + " on this server, got " + steps);
        if (name != null && name.length() > 120) errors.add("name: may be at most 120 characters");
        return errors;
    }

    /** The core configuration; call only on a valid, completed spec. */
    public TrainConfig toConfig() {
        return new TrainConfig(CellType.parse(cell), hidden, layers, seqLength, batchSize, OptimizerType.parse(optimizer),
                lr, clip, GradientClipping.Mode.parse(clipMode), steps, epochs, valFraction, seed, evalEvery,
                checkpointEvery, sampleEvery, 0);
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
                steps, epochs, valFraction, seed, evalEvery, sampleEvery, checkpointEvery);
    }

    private static void addUnlessReported(List<String> errors, String field, boolean bad, String message) {
        if (bad && errors.stream().noneMatch(e -> e.startsWith(field + ":"))) errors.add(field + ": " + message);
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

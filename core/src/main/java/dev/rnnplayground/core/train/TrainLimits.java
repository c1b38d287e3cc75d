package dev.rnnplayground.core.train;

import dev.rnnplayground.core.rnn.CharRnn;

/**
 * How small and how large every numeric training setting may be, in one place:
 * {@link TrainConfig#validate(TrainLimits)} checks a run against one of the two sets below, so
 * {@code rnn train} and {@code POST /api/jobs} refuse with the same words, and the server hands its
 * set to the page ({@code GET /api/training/options}) so the form knows them too. The defaults
 * live beside them, in {@link TrainConfig#defaults()}.
 *
 * @param hidden          units per layer
 * @param layers          stacked recurrent layers
 * @param seqLength       characters per BPTT window
 * @param batchSize       parallel text streams per step
 * @param learningRate    above 0 (a step of zero learns nothing); at most 10, beyond which every optimizer diverges
 * @param clip            0 turns clipping off
 * @param steps           optimizer steps of one run (0 in a config means "epochs decides")
 * @param epochs          passes over the training text, instead of steps (0 in a config means "steps decides")
 * @param valFraction     held-out share of the text; more than half would leave too little to learn from
 * @param evalEvery       steps between validation losses (0: at the end only)
 * @param sampleEvery     steps between samples (0: never)
 * @param checkpointEvery steps between checkpoints (0: never on the command line, by time only on the server)
 * @param dropout         share of a layer's outputs zeroed while training (PyTorch's {@code dropout});
 *                        0.9 already leaves a tenth of the signal
 * @param maxParameters   weights and biases of the whole network, at most
 */
public record TrainLimits(Range hidden, Range layers, Range seqLength, Range batchSize, Range learningRate,
                          Range clip, Range steps, Range epochs, Range valFraction, Range evalEvery,
                          Range sampleEvery, Range checkpointEvery, Range dropout, long maxParameters) {

    /** For a run on your own machine ({@code rnn train}): bounded only where a value makes no sense. */
    public static final TrainLimits COMMAND_LINE = limits(2048, 1024, 100_000_000L, Long.MAX_VALUE);

    /**
     * For a server several people share: no job should take days or gigabytes (a 4-layer LSTM of
     * 1024 units is already about 30 million parameters, hence the cap of 20 million).
     */
    public static final TrainLimits SERVER = limits(1024, 256, 1_000_000L, 20_000_000L);

    private static TrainLimits limits(int maxHidden, int maxBatch, long maxSteps, long maxParameters) {
        return new TrainLimits(Range.of(1, maxHidden), Range.of(1, CharRnn.MAX_LAYERS), Range.of(1, 1000),
                Range.of(1, maxBatch), Range.above(0, 10), Range.of(0, 1e6), Range.of(1, maxSteps),
                Range.above(0, 10_000), Range.of(0, 0.5), Range.of(0, maxSteps), Range.of(0, maxSteps),
                Range.of(0, maxSteps), Range.of(0, 0.9), maxParameters);
    }

    /**
     * The values from {@code min} to {@code max}, both included, or above {@code min} when
     * {@code minExcluded} (a learning rate of 0 is not a learning rate).
     */
    public record Range(double min, double max, boolean minExcluded) {
        public static Range of(double min, double max) {
            return new Range(min, max, false);
        }

        public static Range above(double min, double max) {
            return new Range(min, max, true);
        }

        /** False for NaN. */
        public boolean contains(double x) {
            return (minExcluded ? x > min : x >= min) && x <= max;
        }

        /** "must be 1 to 2048" or "must be greater than 0 and at most 10", for an error message. */
        public String rule() {
            return minExcluded ? "must be greater than " + show(min) + " and at most " + show(max)
                    : "must be " + show(min) + " to " + show(max);
        }

        /** A bound as a person writes it: 2048, not 2048.0; 0.5 as is. */
        static String show(double x) {
            return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
        }
    }
}

package dev.rnnplayground.core.model;

import java.util.List;
import java.util.Map;

/**
 * What every model family offers the code around it: the trainer, the evaluator, the writer, the
 * checkpoints and the model files speak to this interface and know nothing of a family's insides
 * (minGPT's Trainer knows nothing of GPT). Three families implement it: the recurrent networks
 * ({@code rnn.CharRnn}), the bigram table ({@code bigram.BigramModel}) and the transformer
 * ({@code gpt.Gpt}); {@link Architecture} is the one place that chooses between them.
 *
 * <p>A model reads windows of T symbols from B streams: {@link #forward} fills a {@link Trace}
 * with the logits of every position, {@link #loss} scores them against the targets (softmax
 * cross-entropy, {@link CrossEntropy}), {@link #backward} accumulates every {@link Param#dw}.
 * Whatever a family carries from one window to the next (an RNN's hidden state) lives in a
 * {@link CarriedState}; a family that carries nothing returns an empty one.
 *
 * <p>A family with a {@link #contextLimit()} (a transformer: it reads at most a block of
 * positions and carries nothing from one window to the next) trains on random windows of the
 * text instead of carried streams and is evaluated on non-overlapping windows of its block, each
 * predicted from its own start; its writer crops or refills what it remembers at the limit.
 */
public interface LanguageModel {

    /** The kind, as the command line, the API and the model file name it: "lstm", "bigram", ... */
    CellType kind();

    Vocab vocab();

    /** Every learnable tensor, named and ordered as the PyTorch module the family mirrors. */
    List<Param> parameters();

    /**
     * The metadata that describes this model's shape in a model file (for an RNN: cell,
     * hidden_size, num_layers); format and vocabulary are added by the file writer.
     */
    Map<String, String> shape();

    /**
     * How many positions the model can read at once: unlimited ({@link Integer#MAX_VALUE}) for a
     * family that carries its state from window to window (an RNN, the bigram); a transformer's
     * block size. A model with a limit trains on random windows and is evaluated window by window.
     */
    default int contextLimit() {
        return Integer.MAX_VALUE;
    }

    /** False for a model built for inference only: it has no gradient buffers. */
    boolean hasGradients();

    /** An independent, trainable copy with the same weights (gradients start at zero). */
    LanguageModel copy();

    /** What a sequence starts from, for B parallel streams: nothing read yet. */
    CarriedState zeroState(int batch);

    /** Room for one forward and backward pass over windows of T steps and B streams; reuse it. */
    Trace newTrace(int steps, int batch);

    /**
     * Forward over one window: inputs[b][t] is the symbol stream b reads at step t. Starts from
     * {@code state} and leaves it where the window ends; the logits land in the trace.
     */
    void forward(int[][] inputs, CarriedState state, Trace trace);

    /**
     * Mean softmax cross-entropy of the trace's logits against targets[b][t], in nats; also
     * writes dLoss/dlogits into the trace for {@link #backward}.
     */
    double loss(Trace trace, int[][] targets);

    /** Backpropagation from the trace's dLoss/dlogits; accumulates into every {@link Param#dw}. */
    void backward(Trace trace);

    /** The next-symbol logits before any symbol has been read (V values). */
    double[] logitsBeforeAnyInput();

    /** A one-step, one-stream trace for writing text with {@link #step}. */
    default Trace newStepTrace() {
        return newTrace(1, 1);
    }

    /** Feeds one symbol to a one-stream state and returns the next-symbol logits (V). */
    default double[] step(int symbol, CarriedState state, Trace scratch) {
        forward(new int[][] {{symbol}}, state, scratch);
        return scratch.logits(0, 0);
    }

    /** One training window: forward, loss, backward. Returns the mean loss in nats. */
    default double lossAndGradients(int[][] inputs, int[][] targets, CarriedState state, Trace trace) {
        forward(inputs, state, trace);
        double loss = loss(trace, targets);
        backward(trace);
        return loss;
    }

    default Param parameter(String name) {
        for (Param p : parameters()) if (p.name.equals(name)) return p;
        throw new IllegalArgumentException("no parameter named " + name);
    }

    default long parameterCount() {
        long n = 0;
        for (Param p : parameters()) n += p.size();
        return n;
    }

    default void zeroGradients() {
        requireGradients();
        for (Param p : parameters()) p.zeroGrad();
    }

    /** Refuses, saying why, to compute gradients in a model built for inference only. */
    default void requireGradients() {
        if (!hasGradients()) {
            throw new IllegalStateException("this model was built for inference only and has no gradient buffers;"
                    + " train a copy()");
        }
    }

    /** What a forward pass leaves for the loss and the backward pass. */
    interface Trace {
        int steps();

        int batch();

        /** Copy of the logits for stream b at step t (V values). */
        double[] logits(int t, int b);

        /** Copy of row r of a row-major matrix {@code width} values wide: how a trace hands out one row of its logits. */
        static double[] row(double[] matrix, int r, int width) {
            double[] row = new double[width];
            System.arraycopy(matrix, r * width, row, 0, width);
            return row;
        }

        /**
         * Turns dropout on for the following forward passes (p > 0) with the masks of training
         * step {@code step}, or off (p = 0). A family without dropout ignores it.
         */
        default void setDropout(double p, long seed, long step) {
        }
    }

    /**
     * What a model carries from one window to the next while training, and from one character to
     * the next while writing: an RNN's hidden (and cell) state. Checkpoints store its tensors.
     */
    interface CarriedState {
        /** Forgets everything: back to {@link LanguageModel#zeroState}. */
        void reset();

        CarriedState copy();

        /** Its tensors by name, each (B, n) row-major as live views; empty for a family that carries nothing. */
        Map<String, double[]> tensors();

        /** What a model that carries nothing between windows returns (the bigram, the ladder's ablated GPTs). */
        CarriedState NOTHING = new CarriedState() {
            @Override public void reset() { }
            @Override public CarriedState copy() { return this; }
            @Override public Map<String, double[]> tensors() { return Map.of(); }
        };
    }
}

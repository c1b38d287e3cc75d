package dev.rnnplayground.core.bigram;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import java.util.List;
import java.util.Map;

/**
 * The simplest character model, and the first rung of the ladder that leads to attention: a
 * table with one row of next-symbol logits for each symbol (Karpathy's BigramLanguageModel,
 * {@code nn.Embedding(V, V)}):
 * <pre>
 *   logits_t = W[x_t]            W (V, V), row x_t
 *   dW[x_t] += dLoss/dlogits_t
 * </pre>
 * It remembers nothing: the prediction after "q" is the same whatever came before. Its held-out
 * loss is the floor every model with a memory must beat. It starts at W = 0, the uniform guess
 * (ln V nats), and its loss is convex, so any seed reaches the same table.
 */
public final class BigramModel implements LanguageModel {
    private final Vocab vocab;
    private final Param table;   // (V, V) row x: the logits of the symbol after x
    private final boolean withGradients;

    public BigramModel(Vocab vocab, boolean withGradients) {
        if (vocab.size() < 1) throw new IllegalArgumentException("vocabulary is empty");
        this.vocab = vocab;
        this.withGradients = withGradients;
        this.table = Param.matrix("token_embedding_table.weight", vocab.size(), vocab.size(), withGradients);
    }

    @Override public CellType kind() { return CellType.BIGRAM; }
    @Override public Vocab vocab() { return vocab; }
    @Override public List<Param> parameters() { return List.of(table); }
    @Override public boolean hasGradients() { return withGradients; }

    @Override
    public Map<String, String> shape() {
        return Architecture.of(CellType.BIGRAM, 0, 0).shape();
    }

    @Override
    public BigramModel copy() {
        BigramModel c = new BigramModel(vocab, true);
        System.arraycopy(table.w, 0, c.table.w, 0, table.w.length);
        return c;
    }

    /** A bigram carries nothing from one window to the next. */
    @Override
    public CarriedState zeroState(int batch) {
        return CarriedState.NOTHING;
    }

    @Override
    public Trace newTrace(int steps, int batch) {
        return new TableTrace(steps, batch, vocab.size());
    }

    @Override
    public void forward(int[][] inputs, CarriedState state, Trace trace) {
        TableTrace tr = (TableTrace) trace;
        int size = vocab.size();
        for (int t = 0; t < tr.steps; t++) {
            for (int b = 0; b < tr.batch; b++) {
                int row = t * tr.batch + b;
                tr.inputs[row] = inputs[b][t];
                System.arraycopy(table.w, inputs[b][t] * size, tr.logits, row * size, size);
            }
        }
    }

    @Override
    public double loss(Trace trace, int[][] targets) {
        TableTrace tr = (TableTrace) trace;
        return CrossEntropy.lossAndGradient(tr.logits, CrossEntropy.timeMajor(targets, tr.steps), vocab.size(), tr.dLogits);
    }

    @Override
    public void backward(Trace trace) {
        requireGradients();
        TableTrace tr = (TableTrace) trace;
        int size = vocab.size();
        for (int row = 0; row < tr.inputs.length; row++) {
            int from = row * size, to = tr.inputs[row] * size;
            for (int v = 0; v < size; v++) table.dw[to + v] += tr.dLogits[from + v];
        }
    }

    /** Before any symbol there is no row to read: the uniform guess. */
    @Override
    public double[] logitsBeforeAnyInput() {
        return new double[vocab.size()];
    }

    /** The logits of every position of a window, rows t*B + b, and their gradient. */
    private static final class TableTrace implements Trace {
        final int steps;
        final int batch;
        final int[] inputs;       // (T*B) the symbol each row read
        final double[] logits;    // (T*B, V)
        final double[] dLogits;   // (T*B, V)

        TableTrace(int steps, int batch, int vocabSize) {
            this.steps = steps;
            this.batch = batch;
            inputs = new int[steps * batch];
            logits = new double[steps * batch * vocabSize];
            dLogits = new double[steps * batch * vocabSize];
        }

        @Override public int steps() { return steps; }
        @Override public int batch() { return batch; }

        @Override
        public double[] logits(int t, int b) {
            return Trace.row(logits, t * batch + b, logits.length / (steps * batch));
        }
    }
}

package dev.rnnplayground.core.attend;

import dev.rnnplayground.core.gpt.Linear;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge between recurrence and attention: an LSTM that also attends over its own last K
 * top-layer states (Daniluk et al. 2017, "Frustratingly Short Attention Spans in Neural Language
 * Modeling"). The LSTM remembers by carrying a state; the attention looks straight back at the
 * states it had, a few steps ago:
 * <pre>
 *   h_t          = the top state of an LSTM stack (rnn.CharRnn's layers) after reading x_t   (H)
 *   c_t          = sum_j a_j W_v h_{t-j},  a = softmax_j((W_q h_t) . (W_k h_{t-j}) / sqrt(H)),  j = 1..K
 *   logits_t     = W_dec [h_t; c_t] + b_dec                                                    (V)
 * </pre>
 * ({@link PastAttention} computes c_t.) At the start of a text, fewer than K states exist: the
 * attention looks only at those; with none, c_t = 0. The last K states are carried from window to
 * window with h and c ({@link AttentiveState}); inside a window the gradient flows back through
 * the attention into the states it looked at, and stops at the window's edge, as h's does.
 *
 * <p>Parameters, named as a PyTorch module holding {@code rnn = nn.LSTM(V, H, L)},
 * {@code attn.query/key/value = nn.Linear(H, H, bias=False)} and {@code decoder = nn.Linear(2H, V)}
 * would name them: {@code rnn.weight_ih_l0} ... {@code attn.query.weight}, {@code attn.key.weight},
 * {@code attn.value.weight}, {@code decoder.weight}, {@code decoder.bias}.
 */
public final class AttentiveLstm implements LanguageModel, Attending {
    /** The longest look back the model offers: beyond a few dozen characters a GPT is the better tool. */
    public static final int MAX_ATTEND = 64;

    final CharRnn lstm;                  // the recurrent layers, without a decoder of their own
    private final PastAttention attention;
    private final Param decoderWeight;   // (V, 2H) decoder.weight, reading [h_t; c_t]
    private final Param decoderBias;     // (V) decoder.bias
    private final Vocab vocab;
    private final int hidden;
    private final int attend;
    private final boolean withGradients;
    private final List<Param> params;

    public AttentiveLstm(Vocab vocab, int hidden, int layers, int attend, boolean withGradients) {
        if (attend < 1 || attend > MAX_ATTEND) {
            throw new IllegalArgumentException("attend must be 1 to " + MAX_ATTEND + " past states, got " + attend);
        }
        this.lstm = CharRnn.layersOnly(CellType.LSTM, vocab, hidden, layers, withGradients);
        this.vocab = vocab;
        this.hidden = hidden;
        this.attend = attend;
        this.withGradients = withGradients;
        this.attention = new PastAttention(hidden, attend, withGradients);
        decoderWeight = Param.matrix("decoder.weight", vocab.size(), 2 * hidden, withGradients);
        decoderBias = Param.vector("decoder.bias", vocab.size(), withGradients);
        List<Param> all = new ArrayList<>(lstm.parameters());
        Collections.addAll(all, attention.query, attention.key, attention.value, decoderWeight, decoderBias);
        this.params = Collections.unmodifiableList(all);
    }

    /**
     * The names and shapes of the tensors of a model of this shape, in order, without building it:
     * nn.LSTM(V, H, L), three H x H attention maps, nn.Linear(2H, V).
     */
    public static Map<String, int[]> tensorShapes(int vocabSize, int hidden, int layers) {
        Map<String, int[]> shapes = new LinkedHashMap<>(CharRnn.tensorShapes(CellType.LSTM, vocabSize, hidden, layers));
        shapes.remove("decoder.weight");
        shapes.remove("decoder.bias");
        for (String map : new String[] {"query", "key", "value"}) shapes.put("attn." + map + ".weight", new int[] {hidden, hidden});
        shapes.put("decoder.weight", new int[] {vocabSize, 2 * hidden});
        shapes.put("decoder.bias", new int[] {vocabSize});
        return shapes;
    }

    /**
     * PyTorch's default initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for every tensor, fan_in
     * being H for the LSTM (nn.LSTM's rule) and the attention maps, 2H for the decoder.
     */
    public AttentiveLstm initialize(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        for (Param p : params) {
            boolean decoder = p == decoderWeight || p == decoderBias;
            p.uniform(rng, 1.0 / Math.sqrt(decoder ? 2 * hidden : hidden));
        }
        return this;
    }

    @Override
    public AttentiveLstm copy() {
        AttentiveLstm c = new AttentiveLstm(vocab, hidden, lstm.numLayers(), attend, true);
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(params.get(i).w, 0, c.params.get(i).w, 0, params.get(i).w.length);
        }
        return c;
    }

    @Override public CellType kind() { return CellType.ATTENTIVE_LSTM; }
    @Override public Vocab vocab() { return vocab; }
    @Override public List<Param> parameters() { return params; }
    @Override public boolean hasGradients() { return withGradients; }
    public int hiddenSize() { return hidden; }
    public int numLayers() { return lstm.numLayers(); }

    /** K: how many past top-layer states each step attends over. */
    public int attend() {
        return attend;
    }

    /** cell, hidden_size, num_layers and attend, as the model file's metadata says them. */
    @Override
    public Map<String, String> shape() {
        return Architecture.attentiveLstm(hidden, lstm.numLayers(), attend).shape();
    }

    /** Zero h and c, and no past states yet. */
    @Override
    public AttentiveState zeroState(int batch) {
        return new AttentiveState(lstm.zeroState(batch), attend, hidden);
    }

    @Override
    public AttentiveTrace newTrace(int steps, int batch) {
        return new AttentiveTrace(this, steps, batch);
    }

    /**
     * Forward over one window: the LSTM over every step, then at each step the attention over the
     * states before it and the decoder over [h_t; c_t]. Leaves {@code state} where the window ends,
     * its K newest top-layer states included.
     */
    @Override
    public void forward(int[][] inputs, CarriedState carried, Trace trace) {
        AttentiveState state = (AttentiveState) carried;
        AttentiveTrace tr = (AttentiveTrace) trace;
        lstm.forwardLayers(inputs, state.lstm, tr.lstm);
        double[] top = tr.lstm.topOutputs().data;                 // (T*B, H) h_t, row t*B + b
        attention.forward(top, state, tr);                         // [h_t; c_t] into tr.decoderInput
        int rows = tr.steps * tr.batch;
        Linear.forward(tr.logits, tr.decoderInput, decoderWeight.w, decoderBias.w, rows, 2 * hidden, vocab.size());
        state.advance(top, tr.steps);
    }

    @Override
    public double loss(Trace trace, int[][] targets) {
        AttentiveTrace tr = (AttentiveTrace) trace;
        return CrossEntropy.lossAndGradient(tr.logits, CrossEntropy.timeMajor(targets, tr.steps), vocab.size(), tr.dLogits);
    }

    /** Backward through the decoder, the attention and then the LSTM stack (BPTT); accumulates every dw. */
    @Override
    public void backward(Trace trace) {
        requireGradients();
        AttentiveTrace tr = (AttentiveTrace) trace;
        int rows = tr.steps * tr.batch;
        // decoder: logits = [h; c] W_dec^T + b
        java.util.Arrays.fill(tr.dDecoderInput, 0.0);
        Linear.backward(tr.dDecoderInput, decoderWeight.dw, decoderBias.dw, tr.dLogits, tr.decoderInput, decoderWeight.w,
                rows, 2 * hidden, vocab.size());
        // what reached h_t directly, then what reaches it through the attention
        for (int r = 0; r < rows; r++) System.arraycopy(tr.dDecoderInput, r * 2 * hidden, tr.dTop, r * hidden, hidden);
        double[] top = tr.lstm.topOutputs().data;
        attention.backward(top, tr);
        lstm.backwardLayers(tr.lstm, tr.dTop);
    }

    // ---- what the attention looks at (the page's attention view) -----------------------------

    /** One attention head, on top of the LSTM stack. */
    @Override public int attentionLayers() { return 1; }
    @Override public int attentionHeads() { return 1; }

    /**
     * The weights with which the symbol {@link #step} read last looked at the states before it,
     * oldest first: K of them once K symbols came before it, fewer at the start of a text.
     */
    @Override
    public AttentionWeights lastAttention(CarriedState carried, Trace stepTrace) {
        AttentiveState state = (AttentiveState) carried;
        AttentiveTrace trace = (AttentiveTrace) stepTrace;
        if (state.count(0) == 0) return null;
        int looked = attend - trace.firstValid[0];   // the past states that existed when it came
        double[] weights = new double[looked];
        // a_j (at index j-1) weighs h_{t-j}: the oldest, j = looked, first
        for (int p = 0; p < looked; p++) weights[p] = trace.weights[looked - 1 - p];
        return new AttentionWeights(1, 1, looked, 1, weights);
    }

    /**
     * The weights of every one of the last {@code window} symbols of a text over the symbols before
     * it, from a forward over the whole text (the LSTM's state depends on all of it): row t has at
     * most K weights, at the columns of the K symbols before t, a band below the diagonal.
     */
    @Override
    public double[] attentionMatrix(int[] symbols, int layer, int head, int window) {
        checkHead(layer, head);
        int steps = symbols.length;
        if (steps < 1 || window < 1) throw new IllegalArgumentException("no symbols, or a window below 1");
        AttentiveTrace trace = newTrace(steps, 1);
        forward(new int[][] {symbols}, zeroState(1), trace);
        int shown = Math.min(window, steps), first = steps - shown;
        double[] matrix = new double[shown * shown];
        for (int i = 0; i < shown; i++) {
            // the state after symbol t-j is what step t weighs with a_j
            for (int j = 1; j <= attend && i - j >= 0; j++) matrix[i * shown + i - j] = trace.weights[(first + i) * attend + j - 1];
        }
        return matrix;
    }

    /** Before any input h = 0 and there is nothing to attend to (c = 0): the decoder's bias alone. */
    @Override
    public double[] logitsBeforeAnyInput() {
        return decoderBias.w.clone();
    }
}

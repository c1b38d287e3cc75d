package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A character-level language model: characters in as one-hot vectors, a stack of 1 to 4
 * recurrent layers (vanilla RNN, LSTM or GRU), and a linear decoder from the top layer's hidden
 * state to one logit per vocabulary symbol:
 * <pre>
 *   x_t one-hot (V)  ->  layer 0 .. layer L-1  ->  h_t (H)  ->  logits_t = W_dec h_t + b_dec  (V)
 *   loss = mean over batch and time of -log softmax(logits_t)[target_t]   (nats)
 * </pre>
 * Parameters carry PyTorch's names and shapes ({@code rnn.weight_ih_l0} ... {@code decoder.bias}),
 * so a model file loads into {@code torch.nn.RNN/LSTM/GRU} + {@code torch.nn.Linear} unchanged.
 *
 * <p>Weights are only read during forward and backward, so many threads may sample one model at
 * once; each needs its own {@link HiddenState} and {@link WindowTrace}. Gradients accumulate in
 * each {@link Param#dw}, which only the (single) training thread touches; a network built
 * {@link #forInference} has none.
 */
public final class CharRnn implements LanguageModel {
    public static final int MAX_LAYERS = 4;

    private final CellType cell;
    private final Vocab vocab;
    private final int hiddenSize;
    final RecurrentLayer[] layers;
    final Param decoderWeight;   // (V, H); null in a stack without a decoder ({@link #layersOnly})
    final Param decoderBias;     // (V); likewise
    private final List<Param> params;

    private final boolean withGradients;

    /** A network to train: every parameter with its gradient buffer. */
    public CharRnn(CellType cell, Vocab vocab, int hiddenSize, int numLayers) {
        this(cell, vocab, hiddenSize, numLayers, true);
    }

    /**
     * A network that only runs forward (sampling, prediction): its parameters have no gradient
     * buffers, which halves its memory. {@link #backward} refuses it; {@link #copy} makes a
     * trainable one.
     */
    public static CharRnn forInference(CellType cell, Vocab vocab, int hiddenSize, int numLayers) {
        return new CharRnn(cell, vocab, hiddenSize, numLayers, false, true);
    }

    /**
     * The recurrent layers alone, without the decoder: for a model that puts its own head on the
     * top layer's states ({@code attend.AttentiveLstm}). It runs {@link #forwardLayers} and
     * {@link #backwardLayers}; the whole-model methods (forward to logits, loss, writing) refuse it.
     */
    public static CharRnn layersOnly(CellType cell, Vocab vocab, int hiddenSize, int numLayers, boolean withGradients) {
        return new CharRnn(cell, vocab, hiddenSize, numLayers, withGradients, false);
    }

    private CharRnn(CellType cell, Vocab vocab, int hiddenSize, int numLayers, boolean withGradients) {
        this(cell, vocab, hiddenSize, numLayers, withGradients, true);
    }

    private CharRnn(CellType cell, Vocab vocab, int hiddenSize, int numLayers, boolean withGradients, boolean withDecoder) {
        if (!cell.recurrent()) throw new IllegalArgumentException(cell.id() + " is not a recurrent cell");
        if (hiddenSize < 1) throw new IllegalArgumentException("hidden size must be at least 1, got " + hiddenSize);
        if (numLayers < 1 || numLayers > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be 1 to " + MAX_LAYERS + ", got " + numLayers);
        }
        if (vocab.size() < 1) throw new IllegalArgumentException("vocabulary is empty");
        this.cell = cell;
        this.vocab = vocab;
        this.hiddenSize = hiddenSize;
        this.withGradients = withGradients;
        this.layers = new RecurrentLayer[numLayers];
        List<Param> all = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            layers[l] = RecurrentLayer.create(cell, l, l == 0 ? vocab.size() : hiddenSize, hiddenSize, withGradients);
            Collections.addAll(all, layers[l].params());
        }
        decoderWeight = withDecoder ? Param.matrix("decoder.weight", vocab.size(), hiddenSize, withGradients) : null;
        decoderBias = withDecoder ? Param.vector("decoder.bias", vocab.size(), withGradients) : null;
        if (withDecoder) {
            all.add(decoderWeight);
            all.add(decoderBias);
        }
        this.params = Collections.unmodifiableList(all);
    }

    /**
     * The names and shapes of the tensors of a network of this shape, in order, without building
     * it: nn.RNN/LSTM/GRU(V, H, L) + nn.Linear(H, V). G·H·(V + H + 2) values for the first layer,
     * G·H·(2H + 2) for each other, and V·H + V for the decoder (G gates, H hidden units, V symbols).
     */
    public static Map<String, int[]> tensorShapes(CellType cell, int vocabSize, int hidden, int layers) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int gateRows = cell.gates() * hidden;
        for (int l = 0; l < layers; l++) {
            shapes.put("rnn.weight_ih_l" + l, new int[] {gateRows, l == 0 ? vocabSize : hidden});
            shapes.put("rnn.weight_hh_l" + l, new int[] {gateRows, hidden});
            shapes.put("rnn.bias_ih_l" + l, new int[] {gateRows});
            shapes.put("rnn.bias_hh_l" + l, new int[] {gateRows});
        }
        shapes.put("decoder.weight", new int[] {vocabSize, hidden});
        shapes.put("decoder.bias", new int[] {vocabSize});
        return shapes;
    }

    /**
     * PyTorch's default initialisation: every recurrent weight and bias, and the decoder, drawn
     * from U(-1/sqrt(H), 1/sqrt(H)).
     */
    public CharRnn initialize(long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double bound = 1.0 / Math.sqrt(hiddenSize);
        for (Param p : params) p.uniform(rng, bound);
        return this;
    }

    /** An independent, trainable copy with the same weights (gradients start at zero). */
    @Override
    public CharRnn copy() {
        CharRnn c = new CharRnn(cell, vocab, hiddenSize, layers.length, true, decoderWeight != null);
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(params.get(i).w, 0, c.params.get(i).w, 0, params.get(i).w.length);
        }
        return c;
    }

    public CellType cell() { return cell; }
    @Override public CellType kind() { return cell; }
    @Override public Vocab vocab() { return vocab; }
    public int hiddenSize() { return hiddenSize; }
    public int numLayers() { return layers.length; }

    /** All parameters in PyTorch's order: per layer weight_ih, weight_hh, bias_ih, bias_hh; then the decoder. */
    @Override public List<Param> parameters() { return params; }

    /** cell, hidden_size and num_layers, as the model file's metadata says them. */
    @Override
    public Map<String, String> shape() {
        return Architecture.of(cell, hiddenSize, layers.length).shape();
    }

    /** False for a network built {@link #forInference}. */
    @Override
    public boolean hasGradients() {
        return withGradients;
    }

    /** The all-zero state a sequence starts from, for B parallel streams. */
    @Override
    public HiddenState zeroState(int batch) {
        return new HiddenState(layers.length, batch, hiddenSize, cell == CellType.LSTM);
    }

    @Override
    public WindowTrace newTrace(int steps, int batch) {
        return new WindowTrace(this, steps, batch);
    }

    /**
     * A one-step, one-stream trace for writing text with {@link #step}, holding a transposed copy
     * of the weights ({@link WritingWeights}): make a new one if the weights change.
     */
    @Override
    public WindowTrace newStepTrace() {
        requireDecoder();
        return new WindowTrace(this, 1, 1, new WritingWeights(this));
    }

    /**
     * Forward over one window. inputs[b][t] is the symbol stream b reads at step t; the window
     * starts from {@code state}, and {@code state} is advanced to the window's last step (the
     * carry of truncated BPTT). Logits land in the trace.
     */
    public void forward(int[][] inputs, HiddenState state, WindowTrace tr) {
        requireDecoder();
        forwardLayers(inputs, state, tr);
        // decoder over all steps at once: logits = H_top W_dec^T + b_dec, rows t*B+b
        CommonOps_DDRM.multTransB(tr.topOutputs, decoderWeight.value, tr.logits);
        LayerInput.addBiasRows(decoderBias.w, tr.logits);
    }

    /**
     * The recurrent part of {@link #forward}: runs the stack over the window from {@code state},
     * advances {@code state}, and leaves the top layer's h_1..h_T stacked in
     * {@link WindowTrace#topOutputs()} (T*B, H), for a decoder or another head to read.
     */
    public void forwardLayers(int[][] inputs, HiddenState state, WindowTrace tr) {
        int batch = tr.batch, steps = tr.steps;
        if (inputs.length != batch || state.batch != batch) throw new IllegalArgumentException("batch size mismatch");
        for (int b = 0; b < batch; b++) {
            if (inputs[b].length != steps) throw new IllegalArgumentException("window length mismatch");
            for (int t = 0; t < steps; t++) tr.ids[t][b] = inputs[b][t];
        }
        LayerInput x = new LayerInput.OneHot(tr.ids);
        for (int l = 0; l < layers.length; l++) {
            LayerTrace lt = tr.layers[l];
            lt.h[0].setTo(state.h[l]);
            if (lt.c != null) lt.c[0].setTo(state.c[l]);
            layers[l].forward(x, lt);
            state.h[l].setTo(lt.h[steps]);
            if (lt.c != null) state.c[l].setTo(lt.c[steps]);
            x = new LayerInput.Dense(layerOutputs(tr, l));
        }
        LayerTrace top = tr.layers[layers.length - 1];
        int rowSize = batch * hiddenSize;
        for (int t = 0; t < steps; t++) System.arraycopy(top.h[t + 1].data, 0, tr.topOutputs.data, t * rowSize, rowSize);
    }

    /**
     * Softmax cross-entropy of the trace's logits against targets[b][t], averaged over batch
     * and time, in nats. Also writes dLoss/dlogits = (softmax - onehot) / (B*T) into the trace.
     */
    public double loss(WindowTrace tr, int[][] targets) {
        return CrossEntropy.lossAndGradient(tr.logits.data, CrossEntropy.timeMajor(targets, tr.steps), vocab.size(),
                tr.dLogits.data);
    }

    /** Backpropagation through the decoder and down the stack; accumulates into every Param.dw. */
    public void backward(WindowTrace tr) {
        requireGradients();
        requireDecoder();
        backwardDecoder(tr);
        backwardStack(tr);
    }

    /**
     * The recurrent part of {@link #backward}, for a head other than the decoder: dTop (T*B, H),
     * row t*B + b, is dL/dh_t of the top layer for stream b, as the head sent it; BPTT runs down
     * the stack from there and accumulates every layer's gradients.
     */
    public void backwardLayers(WindowTrace tr, double[] dTop) {
        requireGradients();
        int rowSize = tr.batch * hiddenSize;
        for (int t = 0; t < tr.steps; t++) System.arraycopy(dTop, t * rowSize, tr.dOutputs[t].data, 0, rowSize);
        backwardStack(tr);
    }

    /** BPTT down the stack from what tr.dOutputs[t] (B, H) holds for the top layer. */
    private void backwardStack(WindowTrace tr) {
        for (int l = layers.length - 1; l >= 0; l--) {
            LayerTrace lt = tr.layers[l];
            boolean bottom = l == 0;
            LayerInput x = bottom ? new LayerInput.OneHot(tr.ids) : new LayerInput.Dense(tr.layerInputs(l));
            layers[l].backward(x, lt, tr.dOutputs, bottom ? null : tr.dInputs);
            if (!bottom) {
                for (int t = 0; t < tr.steps; t++) tr.dOutputs[t].setTo(tr.dInputs[t]);
                if (tr.dropoutScale != null) applyDropout(tr.dropoutScale[l - 1], tr.dOutputs, tr.dOutputs);
            }
        }
    }

    /**
     * The decoder's part of {@link #backward}, for every step at once (it is not recurrent):
     * accumulates dW_dec and db_dec and leaves dL_t/dh_t, what each step's loss sends into the top
     * layer's state, in tr.dOutputs[t] (B, H).
     */
    void backwardDecoder(WindowTrace tr) {
        // decoder: logits = H W^T + b
        CommonOps_DDRM.multAddTransA(tr.dLogits, tr.topOutputs, decoderWeight.grad);
        LayerInput.addColumnSums(tr.dLogits, decoderBias.dw);
        CommonOps_DDRM.mult(tr.dLogits, decoderWeight.value, tr.dTopOutputs);
        int rowSize = tr.batch * hiddenSize;
        for (int t = 0; t < tr.steps; t++) {
            System.arraycopy(tr.dTopOutputs.data, t * rowSize, tr.dOutputs[t].data, 0, rowSize);
        }
    }

    /**
     * What layer l passes up to layer l+1 over the window: its outputs h_1..h_T, through dropout
     * when the trace has it on (the copies are kept in the trace for the backward pass).
     */
    private static DMatrixRMaj[] layerOutputs(WindowTrace tr, int l) {
        DMatrixRMaj[] outputs = java.util.Arrays.copyOfRange(tr.layers[l].h, 1, tr.steps + 1);
        if (tr.dropoutScale == null || l >= tr.dropoutScale.length) return outputs;
        applyDropout(tr.dropoutScale[l], outputs, tr.droppedOutputs[l]);
        return tr.droppedOutputs[l];
    }

    /** out[t] = in[t] * scale (elementwise; scale is time-major over all steps). out may be in. */
    private static void applyDropout(double[] scale, DMatrixRMaj[] in, DMatrixRMaj[] out) {
        for (int t = 0; t < in.length; t++) {
            double[] a = in[t].data, o = out[t].data;
            int base = t * a.length;
            for (int i = 0; i < a.length; i++) o[i] = a[i] * scale[base + i];
        }
    }

    /** Convenience: as above with a fresh trace. */
    public double lossAndGradients(int[][] inputs, int[][] targets, HiddenState state) {
        return lossAndGradients(inputs, targets, state, newTrace(inputs[0].length, inputs.length));
    }

    /**
     * The writing path: feeds one symbol to a one-stream state and returns the next-symbol logits
     * (V). With a trace from {@link #newStepTrace} it runs {@link #forward}'s products on the
     * trace's transposed weights (the same sums, faster); with any other, {@link #forward} itself.
     */
    @Override
    public double[] step(int symbol, CarriedState carried, Trace scratch) {
        WindowTrace tr = (WindowTrace) scratch;
        if (tr.writing == null) return LanguageModel.super.step(symbol, carried, scratch);
        HiddenState state = (HiddenState) carried;
        tr.ids[0][0] = symbol;
        DMatrixRMaj below = null;   // layer 0 reads the symbol
        for (int l = 0; l < layers.length; l++) {
            LayerTrace lt = tr.layers[l];
            lt.h[0].setTo(state.h[l]);
            if (lt.c != null) lt.c[0].setTo(state.c[l]);
            layers[l].step(new LayerInput.OneHot(tr.ids), below, lt, tr.writing.inputWeightsT[l], tr.writing.recurrentWeightsT[l]);
            state.h[l].setTo(lt.h[1]);
            if (lt.c != null) state.c[l].setTo(lt.c[1]);
            below = lt.h[1];
        }
        CommonOps_DDRM.mult(below, tr.writing.decoderWeightT, tr.logits);
        LayerInput.addBiasRows(decoderBias.w, tr.logits);
        return tr.logits(0, 0);
    }

    /** Feeds one symbol to a batch-1 state and returns the next-symbol logits (V). */
    public double[] step(int symbol, HiddenState state) {
        return step(symbol, state, newTrace(1, 1));
    }

    // --- the LanguageModel interface: the same methods, for code that knows no family ---

    @Override
    public void forward(int[][] inputs, CarriedState state, Trace trace) {
        forward(inputs, (HiddenState) state, (WindowTrace) trace);
    }

    @Override
    public double loss(Trace trace, int[][] targets) {
        return loss((WindowTrace) trace, targets);
    }

    @Override
    public void backward(Trace trace) {
        backward((WindowTrace) trace);
    }

    /** Before any input the hidden state is zero, so the prediction is the decoder's bias alone. */
    @Override
    public double[] logitsBeforeAnyInput() {
        requireDecoder();
        return decoderBias.w.clone();
    }

    private void requireDecoder() {
        if (decoderWeight == null) {
            throw new IllegalStateException("these recurrent layers have no decoder: the model that holds them computes the logits");
        }
    }
}

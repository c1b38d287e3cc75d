package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Backpropagation through time one step at a time, for a learner to watch. One window of a
 * one-layer model, one stream, from the zero state: the forward pass and the loss run at once, and
 * so does the decoder's backward (it is not recurrent: every step's dL_t/dh_t comes out of one
 * product). Then each {@link #stepBack()} runs one step of {@link RecurrentLayer#backwardStep},
 * the very code training runs, from t = T-1 down to 0, and reports what that step saw and did:
 * <pre>
 *   dh_t  = dL_t/dh_t (from the loss, through the decoder)  +  what flows back from step t+1
 *   cell backward: dh_t (and an LSTM's dc_t) -> the gradient of each gate's pre-activation
 *   dW_ih, dW_hh, db_ih, db_hh  +=  this step's share;   dh_{t-1} from t = what step t-1 receives
 * </pre>
 * Here h_t is the state after reading symbol t of the window and L_t the loss of predicting
 * symbol t+1 from it, divided by T as in the window's mean loss. After the last step every
 * gradient is exactly what {@link CharRnn#lossAndGradients} computes for the window.
 */
public final class BackwardSteps {
    /** The hidden size of {@link #tinyModel}: few enough units to read every number. */
    public static final int TINY_HIDDEN = 4;
    /** The longest window {@link #tinyModel} accepts. */
    public static final int MAX_WINDOW = 16;

    /**
     * What one step back did, all for the single stream. Vectors are (H) unless said otherwise.
     *
     * @param t               the step: h_t is the state after reading symbol t
     * @param fromLoss        dL_t/dh_t, what this step's own prediction sends back through the decoder
     * @param fromLater       dL/dh_t arriving from step t+1 (zero at the window's last step)
     * @param total           their sum, the dL/dh_t the cell's backward read
     * @param cellFromLater   an LSTM's dL/dc_t arriving from step t+1; null for other cells
     * @param gateGradients   (G*H) the gradient of each gate's pre-activation, gate by gate in
     *                        PyTorch's order: i, f, g, o (LSTM), r, z, n (GRU, n's input side
     *                        W_in x + b_in), or the pre-activation of h_t = tanh(a_t) (RNN)
     * @param passedBack      dL/dh_{t-1} as far as known now: what step t-1 receives (for t = 0,
     *                        the gradient on the carried-in state, which truncated BPTT drops)
     * @param cellPassedBack  an LSTM's dL/dc_{t-1} likewise; null for other cells
     * @param accumulated     ||dW|| of the layer's parameters after this step, in
     *                        {@link #parameterNames()} order: weight_ih, weight_hh, bias_ih, bias_hh
     */
    public record Step(int t, double[] fromLoss, double[] fromLater, double[] total, double[] cellFromLater,
                       double[] gateGradients, double[] passedBack, double[] cellPassedBack, double[] accumulated) {
    }

    private final CharRnn model;
    private final RecurrentLayer layer;
    private final WindowTrace trace;
    private final LayerTrace layerTrace;
    private final LayerInput input;
    private final RecurrentLayer.Carry carry;
    private final double loss;
    private final List<Step> steps = new ArrayList<>();

    /**
     * Runs the window forward, its loss and the decoder's backward; the model's gradients are
     * cleared first. inputs[t] is the symbol read at step t, targets[t] the one to predict.
     */
    public BackwardSteps(CharRnn model, int[] inputs, int[] targets) {
        if (model.numLayers() != 1) throw new IllegalArgumentException("BPTT step by step shows one layer, got " + model.numLayers());
        if (inputs.length < 1 || inputs.length != targets.length) {
            throw new IllegalArgumentException("a window needs as many targets as inputs, at least one");
        }
        this.model = model;
        this.layer = model.layers[0];
        this.trace = model.newTrace(inputs.length, 1);
        this.layerTrace = trace.layers[0];
        model.zeroGradients();
        model.forward(new int[][] {inputs}, model.zeroState(1), trace);
        this.loss = model.loss(trace, new int[][] {targets});
        model.backwardDecoder(trace);
        this.input = new LayerInput.OneHot(trace.ids);
        this.carry = new RecurrentLayer.Carry(1, model.hiddenSize());
    }

    /**
     * A fresh model of the cell with {@link #TINY_HIDDEN} units, PyTorch's initialisation from
     * {@code seed}, and the vocabulary of {@code text}; the window reads text[0..T-1] and predicts
     * text[1..T] (T = the text's symbols minus one, 1 to {@link #MAX_WINDOW}).
     */
    public static BackwardSteps tinyModel(CellType cell, String text, long seed) {
        int[] symbols = text.codePoints().toArray();
        if (symbols.length < 2 || symbols.length > MAX_WINDOW + 1) {
            throw new IllegalArgumentException("the text must have 2 to " + (MAX_WINDOW + 1) + " symbols, got " + symbols.length);
        }
        Vocab vocab = Vocab.of(text);
        CharRnn model = new CharRnn(cell, vocab, TINY_HIDDEN, 1).initialize(seed);
        int[] ids = vocab.encode(text).ids();
        int[] inputs = java.util.Arrays.copyOfRange(ids, 0, ids.length - 1);
        int[] targets = java.util.Arrays.copyOfRange(ids, 1, ids.length);
        return new BackwardSteps(model, inputs, targets);
    }

    /** Runs the next step back (t = T-1 first) and returns what it did. */
    public Step stepBack() {
        if (done()) throw new IllegalStateException("every step of the window has been run back");
        int t = nextStep();
        boolean lstm = layerTrace.c != null;
        double[] fromLater = row(carry.dh);
        double[] cellFromLater = lstm ? row(carry.dc) : null;
        double[] fromLoss = row(trace.dOutputs[t]);
        double[] total = new double[fromLater.length];
        for (int i = 0; i < total.length; i++) total[i] = fromLater[i] + fromLoss[i];   // as backwardStep adds them
        layer.backwardStep(t, input, layerTrace, trace.dOutputs[t], null, carry);
        Param[] params = layer.params();
        double[] accumulated = new double[params.length];
        for (int i = 0; i < params.length; i++) accumulated[i] = RecurrentLayer.frobenius(params[i].grad);
        Step step = new Step(t, fromLoss, fromLater, total, cellFromLater,
                row(layerTrace.gi), row(carry.dh), lstm ? row(carry.dc) : null, accumulated);
        steps.add(step);
        return step;
    }

    /** The step the next {@link #stepBack()} runs, or -1 when all have run. */
    public int nextStep() {
        return windowLength() - 1 - steps.size();
    }

    public boolean done() {
        return steps.size() == windowLength();
    }

    /** The steps run so far, latest last. */
    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    public int windowLength() {
        return trace.steps;
    }

    /** The window's mean loss, in nats. */
    public double loss() {
        return loss;
    }

    /** The model whose gradients the steps accumulate (read its {@link Param#dw}). */
    public CharRnn model() {
        return model;
    }

    /** The recurrent layer's parameters, in the order of {@link Step#accumulated()}. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (Param p : layer.params()) names.add(p.name);
        return names;
    }

    /** ||dW_dec|| and ||db_dec||: the decoder's gradient, whole before the first step back. */
    public double[] decoderGradientNorms() {
        return new double[] {RecurrentLayer.frobenius(model.decoderWeight.grad), RecurrentLayer.frobenius(model.decoderBias.grad)};
    }

    /** h_t after reading symbol t (H), from the forward pass. */
    public double[] hidden(int t) {
        return trace.hidden(0, t, 0);
    }

    private static double[] row(DMatrixRMaj m) {
        return m.data.clone();   // batch 1: the one row
    }
}

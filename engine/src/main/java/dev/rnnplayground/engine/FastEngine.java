package dev.rnnplayground.engine;

import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.GradientClipping;
import dev.rnnplayground.core.HiddenState;
import dev.rnnplayground.core.Optimizer;
import dev.rnnplayground.core.Param;
import dev.rnnplayground.core.TrainConfig;
import dev.rnnplayground.core.TrainingEngine;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast engine: the reference engine's step (forward, loss, BPTT, clipping, optimizer) in
 * float32 with every matrix product on OpenBLAS ({@link FloatNetwork}, {@link FloatOptimizer}).
 * Weights, gradients, optimizer state and the carried hidden state live here in float32 while a
 * run trains; export and import convert to and from the reference objects exactly (every float
 * is a double), so checkpoints and exact resume work as with the reference engine.
 *
 * <p>Made through {@link Engines}, which loads OpenBLAS first.
 */
public final class FastEngine implements TrainingEngine {
    private static final int EVAL_WINDOW = 64;   // as core's Evaluator

    private final TrainConfig config;
    private final FloatNetwork net;
    private final FloatOptimizer optimizer;
    private final FloatWindow training;
    private final Map<Integer, FloatWindow> evaluation = new HashMap<>();

    FastEngine(TrainConfig config, CharRnn model, Optimizer referenceOptimizer, HiddenState carried) {
        this.config = config;
        this.net = new FloatNetwork(model);
        this.optimizer = new FloatOptimizer(config.optimizer(), config.learningRate(), net.params);
        this.training = new FloatWindow(net, config.seqLength(), config.batchSize(), true,
                config.dropout() > 0 && model.numLayers() > 1);
        importFrom(model, referenceOptimizer, carried);
    }

    @Override
    public double lossAndGradients(int[][] inputs, int[][] targets, long step) {
        int steps = config.seqLength(), batch = config.batchSize();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) training.targets[t * batch + b] = targets[b][t];
        }
        net.forward(training, inputs, steps, config.dropout(), config.seed(), step);
        double loss = net.loss(training, steps, true);
        net.backward(training, steps);
        for (LayerBuffers b : training.layers) b.carryForward(steps, net.hiddenSize);
        return loss;
    }

    @Override
    public double gradientNorm() {
        return optimizer.gradientNorm();
    }

    @Override
    public boolean clipAndUpdate(GradientClipping.Mode mode, double limit, double gradientNorm) {
        boolean clipped = optimizer.clip(mode, limit, gradientNorm);
        optimizer.step();
        return clipped;
    }

    @Override
    public void resetCarriedState() {
        training.resetState(net.hiddenSize);
    }

    /** Evaluator's scheme: streams contiguous parts of the text, each from a zero state, windows of 64. */
    @Override
    public double meanLoss(int[] ids, int streams) {
        if (ids.length < 2) return Double.NaN;
        int b = Math.max(1, Math.min(streams, ids.length - 1));
        int perStream = (ids.length - 1) / b;
        FloatWindow w = evaluation.computeIfAbsent(b, k -> new FloatWindow(net, EVAL_WINDOW, k, false, false));
        w.resetState(net.hiddenSize);
        int[][] inputs = new int[b][EVAL_WINDOW];
        double total = 0;
        long count = 0;
        for (int start = 0; start < perStream; start += EVAL_WINDOW) {
            int steps = Math.min(EVAL_WINDOW, perStream - start);
            for (int s = 0; s < b; s++) {
                System.arraycopy(ids, s * perStream + start, inputs[s], 0, steps);
                for (int t = 0; t < steps; t++) w.targets[t * b + s] = ids[s * perStream + start + t + 1];
            }
            net.forward(w, inputs, steps, 0, 0, 0);
            total += net.loss(w, steps, false) * steps * b;
            count += (long) steps * b;
            for (LayerBuffers layer : w.layers) layer.carryForward(steps, net.hiddenSize);
        }
        return total / count;
    }

    @Override
    public void exportTo(CharRnn model, Optimizer referenceOptimizer, HiddenState carried) {
        List<Param> params = model.parameters();
        Map<String, double[]> state = new LinkedHashMap<>();
        for (int i = 0; i < net.params.size(); i++) {
            FloatParam p = net.params.get(i);
            p.copyTo(p.w, params.get(i).w);
            for (Map.Entry<String, FloatArray[]> kind : optimizer.buffers.entrySet()) {
                double[] values = new double[p.size()];
                p.copyTo(kind.getValue()[i], values);
                state.put(kind.getKey() + "." + p.name, values);
            }
        }
        referenceOptimizer.restore(optimizer.steps, state);
        for (int l = 0; l < net.layers.length; l++) training.layers[l].getState(carried.hidden(l), carried.cell(l));
    }

    @Override
    public void importFrom(CharRnn model, Optimizer referenceOptimizer, HiddenState carried) {
        List<Param> params = model.parameters();
        Map<String, double[]> state = referenceOptimizer.state();
        for (int i = 0; i < net.params.size(); i++) {
            FloatParam p = net.params.get(i);
            p.copyFrom(params.get(i).w, p.w);
            p.dw.zero();
            for (Map.Entry<String, FloatArray[]> kind : optimizer.buffers.entrySet()) {
                double[] values = state.get(kind.getKey() + "." + p.name);
                if (values == null) kind.getValue()[i].zero();
                else p.copyFrom(values, kind.getValue()[i]);
            }
        }
        optimizer.steps = referenceOptimizer.stepCount();
        for (int l = 0; l < net.layers.length; l++) training.layers[l].setState(carried.hidden(l), carried.cell(l));
    }

    /** The gradients of the last step in PyTorch's layout, one array per parameter (for tests). */
    double[][] gradients() {
        double[][] out = new double[net.params.size()][];
        for (int i = 0; i < out.length; i++) {
            FloatParam p = net.params.get(i);
            out[i] = new double[p.size()];
            p.copyTo(p.dw, out[i]);
        }
        return out;
    }

    @Override
    public String description() {
        return "fast: float32, OpenBLAS, " + NativeBlas.threads() + " thread" + (NativeBlas.threads() == 1 ? "" : "s");
    }
}

package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.Optimizer;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainingEngine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast engine: the reference engine's step (forward, loss, BPTT, clipping, optimizer) in
 * float32 with every matrix product on OpenBLAS ({@link FloatNetwork}, {@link FloatOptimizer}).
 * Weights, gradients, optimizer state and the carried hidden state live here in float32 while a
 * run trains; export and import convert to and from the reference objects exactly (every float
 * is a double), so checkpoints and exact resume work as with the reference engine.
 *
 * <p>With more than one thread, a training step splits the batch: each thread runs forward and
 * BPTT for its own contiguous group of streams (its own {@link FloatWindow}; OpenBLAS itself runs
 * single-threaded in each), and the groups' gradients are added in a fixed order. Threads wait for
 * each other by blocking, never by spinning, so a busy second core slows a step down instead of
 * stalling it, and the same seed and thread count give bit-identical weights.
 *
 * <p>Made through {@link Engines}, which loads OpenBLAS first.
 */
public final class FastEngine implements TrainingEngine {
    private static final int EVAL_WINDOW = 64;   // as core's Evaluator

    private final TrainConfig config;
    private final FloatNetwork net;
    private final FloatOptimizer optimizer;
    private final FloatWindow[] training;     // one per thread, each a contiguous group of the batch's streams
    private final float[] sumScratch;
    private final float[] addScratch;
    private final Map<Integer, FloatWindow> evaluation = new HashMap<>();

    FastEngine(TrainConfig config, CharRnn model, Optimizer referenceOptimizer, HiddenState carried) {
        this(config, model, referenceOptimizer, carried, 1);
    }

    /** With {@code threads} threads, at most one per stream of the batch. */
    FastEngine(TrainConfig config, CharRnn model, Optimizer referenceOptimizer, HiddenState carried, int threads) {
        this.config = config;
        this.net = new FloatNetwork(model);
        this.optimizer = new FloatOptimizer(config, net.params);
        int batch = config.batchSize(), groups = Math.max(1, Math.min(threads, batch));
        boolean dropout = config.dropout() > 0 && model.numLayers() > 1;
        training = new FloatWindow[groups];
        for (int g = 0, first = 0; g < groups; g++) {
            int size = batch / groups + (g < batch % groups ? 1 : 0);
            training[g] = new FloatWindow(net, config.seqLength(), first, size, batch, true, dropout, g > 0);
            first += size;
        }
        int largest = net.params.stream().mapToInt(FloatParam::size).max().orElse(0);
        sumScratch = new float[groups == 1 ? 0 : largest];
        addScratch = new float[groups == 1 ? 0 : largest];
        importFrom(model, referenceOptimizer, carried);
    }

    @Override
    public double lossAndGradients(int[][] inputs, int[][] targets, long step) {
        int steps = config.seqLength(), rows = steps * config.batchSize();
        double[] sums = TrainingThreads.run(training.length,
                group -> lossAndGradients(training[group], inputs, targets, step, rows));
        double total = 0;
        for (int g = 0; g < training.length; g++) {
            total += sums[g];
            if (g > 0) addGradients(training[g]);   // in group order, so the sums do not depend on timing
        }
        return total / rows;
    }

    /** One group's forward, loss and backward; returns its summed loss. */
    private double lossAndGradients(FloatWindow w, int[][] inputs, int[][] targets, long step, int totalRows) {
        int steps = config.seqLength(), batch = w.batch;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) w.targets[t * batch + b] = targets[w.first + b][t];
        }
        net.forward(w, inputs, steps, config.dropout(), config.seed(), step);
        double loss = net.lossSum(w, steps, true, totalRows);
        net.backward(w, steps);
        for (LayerBuffers b : w.layers) b.carryForward(steps, net.hiddenSize);
        return loss;
    }

    /** Adds a group's gradients to the parameters' and clears the group's. */
    private void addGradients(FloatWindow w) {
        for (int i = 0; i < net.params.size(); i++) {
            TrainingThreads.addAndClear(net.params.get(i).dw, w.grads[i], sumScratch, addScratch);
        }
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
    public void setLearningRate(double learningRate) {
        optimizer.learningRate = learningRate;
    }

    @Override
    public void resetCarriedState() {
        for (FloatWindow w : training) w.resetState(net.hiddenSize);
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
            total += net.lossSum(w, steps, false, steps * b);
            count += (long) steps * b;
            for (LayerBuffers layer : w.layers) layer.carryForward(steps, net.hiddenSize);
        }
        return total / count;
    }

    @Override
    public void exportTo(LanguageModel model, Optimizer referenceOptimizer, LanguageModel.CarriedState carriedState) {
        HiddenState carried = (HiddenState) carriedState;
        EngineState.exportTo(net.params, optimizer, model.parameters(), referenceOptimizer);
        for (FloatWindow w : training) {
            for (int l = 0; l < net.layers.length; l++) {
                w.layers[l].getState(carried.hidden(l), carried.cell(l), w.first * net.hiddenSize, net.hiddenSize);
            }
        }
    }

    @Override
    public void importFrom(LanguageModel model, Optimizer referenceOptimizer, LanguageModel.CarriedState carriedState) {
        HiddenState carried = (HiddenState) carriedState;
        EngineState.importFrom(net.params, optimizer, model.parameters(), referenceOptimizer);
        for (FloatWindow w : training) {
            for (FloatArray g : w.grads) g.zero();
        }
        for (FloatWindow w : training) {
            for (int l = 0; l < net.layers.length; l++) {
                w.layers[l].setState(carried.hidden(l), carried.cell(l), w.first * net.hiddenSize, net.hiddenSize);
            }
        }
    }

    /** Clears every gradient, as an optimizer step does (for tests that run windows without one). */
    void clearGradients() {
        for (FloatParam p : net.params) p.dw.zero();
    }

    /** The gradients of the last step in PyTorch's layout, one array per parameter (for tests). */
    double[][] gradients() {
        return EngineState.gradients(net.params);
    }

    @Override
    public String description() {
        return "fast: float32, " + NativeBlas.library() + ", " + (training.length == 1 ? "1 thread" : training.length + " threads (batch split)");
    }
}

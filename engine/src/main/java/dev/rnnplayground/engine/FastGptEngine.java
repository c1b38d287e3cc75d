package dev.rnnplayground.engine;

import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.Optimizer;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainingEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * The fast engine for the character GPT: the reference engine's step (forward, loss, backward,
 * clipping, optimizer) in float32 with every matrix product on OpenBLAS ({@link FloatGpt},
 * {@link FloatOptimizer}). Weights, gradients and optimizer state live here while a run trains;
 * export and import convert them exactly ({@link EngineState}). A GPT carries nothing from one
 * window to the next, so there is no carried state to move.
 *
 * <p>With more than one thread, each step's batch is split into contiguous groups of streams,
 * one per thread ({@link TrainingThreads}), each with its own {@link GptBuffers} and OpenBLAS
 * single-threaded; the groups' gradients are added in a fixed order, so a seed and a thread count
 * give bit-identical weights.
 */
final class FastGptEngine implements TrainingEngine {
    private final TrainConfig config;
    private final FloatGpt net;
    private final FloatOptimizer optimizer;
    private final GptBuffers[] training;   // one per thread
    private final float[] sumScratch;
    private final float[] addScratch;
    private final Map<Integer, GptBuffers> evaluation = new HashMap<>();

    /** With {@code threads} threads, at most one per stream of the batch. */
    FastGptEngine(TrainConfig config, Gpt model, Optimizer referenceOptimizer, int threads) {
        this.config = config;
        this.net = new FloatGpt(model);
        this.optimizer = new FloatOptimizer(config, net.params);
        int batch = config.batchSize(), groups = Math.max(1, Math.min(threads, batch));
        training = new GptBuffers[groups];
        for (int g = 0, first = 0; g < groups; g++) {
            int size = batch / groups + (g < batch % groups ? 1 : 0);
            training[g] = new GptBuffers(net, config.seqLength(), first, size, true, config.dropout() > 0, g > 0);
            first += size;
        }
        int largest = net.params.stream().mapToInt(FloatParam::size).max().orElse(0);
        sumScratch = new float[groups == 1 ? 0 : largest];
        addScratch = new float[groups == 1 ? 0 : largest];
        importFrom(model, referenceOptimizer, null);
    }

    @Override
    public double lossAndGradients(int[][] inputs, int[][] targets, long step) {
        int steps = inputs[0].length, rows = steps * config.batchSize();
        double[] sums = TrainingThreads.run(training.length, group -> {
            GptBuffers s = training[group];
            for (int b = 0; b < s.batch; b++) System.arraycopy(targets[s.first + b], 0, s.targets, b * steps, steps);
            net.forward(s, inputs, steps, config.dropout(), config.seed(), step);
            double loss = net.lossSum(s, true, rows);
            net.backward(s);
            return loss;
        });
        double total = 0;
        for (int g = 0; g < training.length; g++) {
            total += sums[g];
            if (g == 0) continue;
            for (FloatParam p : net.params) {   // in group order, so the sums do not depend on timing
                TrainingThreads.addAndClear(p.dw, training[g].grad(p), sumScratch, addScratch);
            }
        }
        return total / rows;
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

    /** Nothing is carried from window to window. */
    @Override
    public void resetCarriedState() {
    }

    /**
     * core's Evaluator for a model with a context limit: {@code streams} contiguous parts of the
     * text, read in non-overlapping windows of the block size, each predicted from its own start.
     */
    @Override
    public double meanLoss(int[] ids, int streams) {
        if (ids.length < 2) return Double.NaN;
        int window = net.shape.blockSize();
        int b = Math.max(1, Math.min(streams, ids.length - 1));
        int perStream = (ids.length - 1) / b;
        GptBuffers s = evaluation.computeIfAbsent(b, k -> new GptBuffers(net, window, 0, k, false, false));
        int[][] inputs = new int[b][window];
        double total = 0;
        long count = 0;
        for (int start = 0; start < perStream; start += window) {
            int steps = Math.min(window, perStream - start);
            for (int stream = 0; stream < b; stream++) {
                System.arraycopy(ids, stream * perStream + start, inputs[stream], 0, steps);
                System.arraycopy(ids, stream * perStream + start + 1, s.targets, stream * steps, steps);
            }
            net.forward(s, inputs, steps, 0, 0, 0);
            total += net.lossSum(s, false, steps * b);
            count += (long) steps * b;
        }
        return total / count;
    }

    @Override
    public void exportTo(LanguageModel model, Optimizer referenceOptimizer, LanguageModel.CarriedState carried) {
        EngineState.exportTo(net.params, optimizer, model.parameters(), referenceOptimizer);
    }

    @Override
    public void importFrom(LanguageModel model, Optimizer referenceOptimizer, LanguageModel.CarriedState carried) {
        EngineState.importFrom(net.params, optimizer, model.parameters(), referenceOptimizer);
        for (GptBuffers s : training) {
            for (FloatParam p : net.params) s.grad(p).zero();
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

package dev.rnnplayground.core.train;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.Optimizer;

/**
 * The readable engine: the float64 model code of {@code core} (any {@link LanguageModel}: the RNNs'
 * cells and BPTT, the bigram table), {@link GradientClipping} and {@link Optimizer}, working directly
 * on the reference objects, so exporting and importing copy nothing. Every faster engine is tested
 * against this one.
 */
public final class ReferenceEngine implements TrainingEngine {
    private final TrainConfig config;
    private final LanguageModel model;
    private final Optimizer optimizer;
    private final LanguageModel.CarriedState carried;
    private final LanguageModel.Trace trace;

    public ReferenceEngine(TrainConfig config, LanguageModel model, Optimizer optimizer, LanguageModel.CarriedState carried) {
        this.config = config;
        this.model = model;
        this.optimizer = optimizer;
        this.carried = carried;
        this.trace = model.newTrace(config.seqLength(), config.batchSize());
    }

    @Override
    public double lossAndGradients(int[][] inputs, int[][] targets, long step) {
        trace.setDropout(config.dropout(), config.seed(), step);
        return model.lossAndGradients(inputs, targets, carried, trace);
    }

    @Override
    public double gradientNorm() {
        return GradientClipping.globalNorm(model.parameters());
    }

    @Override
    public boolean clipAndUpdate(GradientClipping.Mode mode, double limit, double gradientNorm) {
        boolean clipped = GradientClipping.clip(model.parameters(), mode, limit, gradientNorm);
        optimizer.step(model.parameters());
        return clipped;
    }

    @Override
    public void setLearningRate(double learningRate) {
        optimizer.setLearningRate(learningRate);
    }

    @Override
    public void resetCarriedState() {
        carried.reset();
    }

    @Override
    public double meanLoss(int[] ids, int streams) {
        return Evaluator.meanLoss(model, ids, streams);
    }

    @Override
    public void exportTo(LanguageModel target, Optimizer targetOptimizer, LanguageModel.CarriedState targetState) {
        requireOwn(target, targetOptimizer, targetState);
    }

    @Override
    public void importFrom(LanguageModel source, Optimizer sourceOptimizer, LanguageModel.CarriedState sourceState) {
        requireOwn(source, sourceOptimizer, sourceState);
    }

    private void requireOwn(LanguageModel m, Optimizer o, LanguageModel.CarriedState s) {
        if (m != model || o != optimizer || s != carried) {
            throw new IllegalArgumentException("the reference engine works on its own model, optimizer and state");
        }
    }

    @Override
    public String description() {
        return "reference: float64, EJML, 1 thread";
    }
}

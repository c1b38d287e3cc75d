package dev.rnnplayground.core.optim;

import dev.rnnplayground.core.model.Param;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns gradients into parameter updates, kept apart from the model (tribuo's
 * StochasticGradientOptimiser): {@link #step} reads each {@link Param#dw}, updates {@link Param#w}
 * and clears dw (recurrentjs' Solver.step). The formulas and defaults are PyTorch's
 * ({@code torch.optim.SGD/Adagrad/RMSprop/Adam}), so a run can be compared step for step.
 *
 * <p>Its state, per-parameter running averages and a step count, is exposed by name so a
 * checkpoint can store it and a resumed run continue exactly.
 */
public abstract class Optimizer {
    /** Set before each step by a learning-rate schedule ({@link LearningRateSchedule}); constant without one. */
    protected double learningRate;
    protected long steps;   // updates applied so far (Adam's bias correction needs it)
    private final Map<String, double[]> state = new LinkedHashMap<>();

    protected Optimizer(double learningRate) {
        this.learningRate = learningRate;
    }

    /** An optimizer with PyTorch's defaults: Adam's beta2 0.999, no weight decay. */
    public static Optimizer create(OptimizerType type, double learningRate) {
        return create(type, learningRate, Adam.BETA2, 0);
    }

    /**
     * {@code beta2} is Adam's and AdamW's second-moment decay (nanoGPT's Shakespeare run: 0.99);
     * {@code weightDecay} is AdamW's, ignored by the others (which {@code TrainConfig} refuses).
     */
    public static Optimizer create(OptimizerType type, double learningRate, double beta2, double weightDecay) {
        switch (type) {
            case SGD: return new Sgd(learningRate);
            case ADAGRAD: return new Adagrad(learningRate);
            case RMSPROP: return new RmsProp(learningRate);
            case ADAM: return new Adam(learningRate, beta2, 0);
            case ADAMW: return new Adam(learningRate, beta2, weightDecay);
            default: throw new IllegalArgumentException(String.valueOf(type));
        }
    }

    /** The learning rate of the next steps: a schedule calls this before every step. */
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Applies one update to every parameter and clears its gradient. */
    public final void step(List<Param> params) {
        steps++;
        for (Param p : params) {
            update(p);
            p.zeroGrad();
        }
    }

    protected abstract void update(Param p);

    /** A per-parameter buffer, e.g. Adam's first moment "m" of rnn.weight_hh_l0, created at zero. */
    protected final double[] buffer(String kind, Param p) {
        return state.computeIfAbsent(kind + "." + p.name, k -> new double[p.size()]);
    }

    /** Every buffer by name ("m.rnn.weight_hh_l0", ...), live arrays: for checkpoints. */
    public Map<String, double[]> state() {
        return state;
    }

    public long stepCount() {
        return steps;
    }

    /** Restores a checkpointed state: step count and buffers (copied). */
    public void restore(long stepCount, Map<String, double[]> buffers) {
        this.steps = stepCount;
        state.clear();
        for (Map.Entry<String, double[]> e : buffers.entrySet()) state.put(e.getKey(), e.getValue().clone());
    }

    /** w -= lr * g. */
    static final class Sgd extends Optimizer {
        Sgd(double lr) { super(lr); }

        @Override
        protected void update(Param p) {
            for (int i = 0; i < p.w.length; i++) p.w[i] -= learningRate * p.dw[i];
        }
    }

    /** sum += g^2; w -= lr * g / (sqrt(sum) + 1e-10). Duchi et al., 2011. */
    static final class Adagrad extends Optimizer {
        Adagrad(double lr) { super(lr); }

        @Override
        protected void update(Param p) {
            double[] sum = buffer("sum", p);
            for (int i = 0; i < p.w.length; i++) {
                double g = p.dw[i];
                sum[i] += g * g;
                p.w[i] -= learningRate * g / (Math.sqrt(sum[i]) + 1e-10);
            }
        }
    }

    /** v = 0.99 v + 0.01 g^2; w -= lr * g / (sqrt(v) + 1e-8). Tieleman and Hinton, 2012. */
    static final class RmsProp extends Optimizer {
        static final double ALPHA = 0.99;
        RmsProp(double lr) { super(lr); }

        @Override
        protected void update(Param p) {
            double[] v = buffer("square_avg", p);
            for (int i = 0; i < p.w.length; i++) {
                double g = p.dw[i];
                v[i] = ALPHA * v[i] + (1 - ALPHA) * g * g;
                p.w[i] -= learningRate * g / (Math.sqrt(v[i]) + 1e-8);
            }
        }
    }

    /**
     * Kingma and Ba, 2015: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + 1e-8), b1 = 0.9, b2 = 0.999 by default.
     * AdamW (torch.optim.AdamW) first shrinks the weight, w -= lr * decay * w, apart from the
     * gradient; like nanoGPT's configure_optimizers, only matrices decay (embeddings included),
     * never biases or LayerNorm gains.
     */
    static final class Adam extends Optimizer {
        static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
        private final double beta2;
        private final double weightDecay;

        Adam(double lr, double beta2, double weightDecay) {
            super(lr);
            this.beta2 = beta2;
            this.weightDecay = weightDecay;
        }

        @Override
        protected void update(Param p) {
            double[] m = buffer("exp_avg", p);
            double[] v = buffer("exp_avg_sq", p);
            double correction1 = 1 - Math.pow(BETA1, steps);
            double correction2 = 1 - Math.pow(beta2, steps);
            double shrink = p.isVector ? 1 : 1 - learningRate * weightDecay;
            for (int i = 0; i < p.w.length; i++) {
                double g = p.dw[i];
                if (shrink != 1) p.w[i] *= shrink;
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                p.w[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPS);
            }
        }
    }
}

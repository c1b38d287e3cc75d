package dev.rnnplayground.engine;

import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to the gradients after backward, in float32: their global norm, core's
 * {@link GradientClipping}, and core's {@code Optimizer} with the same four update rules,
 * PyTorch's constants (AdamW's decay of the matrices only, as core's) and the same per-parameter buffers under the same names ("exp_avg",
 * "exp_avg_sq", "sum", "square_avg"), so its state can be exported into a checkpoint and read back
 * without losing a bit. Each parameter is worked on in Java arrays, where the loops vectorise.
 */
final class FloatOptimizer {
    static final double BETA1 = 0.9, ADAM_EPS = 1e-8;
    static final double RMS_ALPHA = 0.99, RMS_EPS = 1e-8, ADAGRAD_EPS = 1e-10;

    final OptimizerType type;
    /** Set before each step by the run's learning-rate schedule. */
    double learningRate;
    private final double beta2;
    private final double weightDecay;
    long steps;
    /** buffer kind -> one array per parameter, in the order of the parameter list. */
    final Map<String, FloatArray[]> buffers = new LinkedHashMap<>();
    private final List<FloatParam> params;
    private final float[] w, g, m, v;   // one parameter at a time

    /** The run's optimizer, learning rate, beta2 and weight decay, as core's {@code Optimizer.create}. */
    FloatOptimizer(TrainConfig config, List<FloatParam> params) {
        this(config.optimizer(), config.learningRate(), config.beta2(), config.weightDecay(), params);
    }

    FloatOptimizer(OptimizerType type, double learningRate, double beta2, double weightDecay, List<FloatParam> params) {
        this.type = type;
        this.learningRate = learningRate;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        this.params = params;
        for (String kind : kinds(type)) {
            FloatArray[] arrays = new FloatArray[params.size()];
            for (int i = 0; i < arrays.length; i++) arrays[i] = new FloatArray(params.get(i).size());
            buffers.put(kind, arrays);
        }
        int largest = params.stream().mapToInt(FloatParam::size).max().orElse(1);
        w = new float[largest];
        g = new float[largest];
        m = new float[largest];
        v = new float[largest];
    }

    static String[] kinds(OptimizerType type) {
        switch (type) {
            case ADAM, ADAMW: return new String[] {"exp_avg", "exp_avg_sq"};
            case RMSPROP: return new String[] {"square_avg"};
            case ADAGRAD: return new String[] {"sum"};
            default: return new String[0];
        }
    }

    /** The L2 norm of all gradients together, accumulated in double. */
    double gradientNorm() {
        double sum = 0;
        for (FloatParam p : params) {
            int n = p.size();
            p.dw.read(0, g, 0, n);
            for (int i = 0; i < n; i++) sum += (double) g[i] * g[i];
        }
        return Math.sqrt(sum);
    }

    /** As {@link GradientClipping#clip}: limit 0 means off; returns whether anything changed. */
    boolean clip(GradientClipping.Mode mode, double limit, double norm) {
        if (limit <= 0) return false;
        if (mode == GradientClipping.Mode.NORM && !(norm > limit)) return false;
        float scale = (float) (limit / (norm + 1e-6)), max = (float) limit;
        boolean clipped = mode == GradientClipping.Mode.NORM;
        for (FloatParam p : params) {
            int n = p.size();
            p.dw.read(0, g, 0, n);
            if (mode == GradientClipping.Mode.NORM) {
                for (int i = 0; i < n; i++) g[i] *= scale;
            } else {
                for (int i = 0; i < n; i++) {
                    if (g[i] > max || g[i] < -max) clipped = true;
                    g[i] = Math.max(-max, Math.min(max, g[i]));
                }
            }
            p.dw.write(0, g, 0, n);
        }
        return clipped;
    }

    /** One update of every parameter from its gradient, which is then cleared. */
    void step() {
        steps++;
        float lr = (float) learningRate;
        float correction1 = (float) (1 - Math.pow(BETA1, steps));
        float correction2 = (float) (1 - Math.pow(beta2, steps));
        for (int p = 0; p < params.size(); p++) {
            FloatParam param = params.get(p);
            int n = param.size();
            param.w.read(0, w, 0, n);
            param.dw.read(0, g, 0, n);
            switch (type) {
                case SGD:
                    for (int i = 0; i < n; i++) w[i] -= lr * g[i];
                    break;
                case ADAGRAD: {
                    FloatArray sum = buffers.get("sum")[p];
                    sum.read(0, m, 0, n);
                    float eps = (float) ADAGRAD_EPS;
                    for (int i = 0; i < n; i++) {
                        m[i] += g[i] * g[i];
                        w[i] -= lr * g[i] / ((float) Math.sqrt(m[i]) + eps);
                    }
                    sum.write(0, m, 0, n);
                    break;
                }
                case RMSPROP: {
                    FloatArray square = buffers.get("square_avg")[p];
                    square.read(0, v, 0, n);
                    float alpha = (float) RMS_ALPHA, eps = (float) RMS_EPS;
                    for (int i = 0; i < n; i++) {
                        v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                        w[i] -= lr * g[i] / ((float) Math.sqrt(v[i]) + eps);
                    }
                    square.write(0, v, 0, n);
                    break;
                }
                case ADAM, ADAMW: {
                    FloatArray first = buffers.get("exp_avg")[p], second = buffers.get("exp_avg_sq")[p];
                    first.read(0, m, 0, n);
                    second.read(0, v, 0, n);
                    float b1 = (float) BETA1, b2 = (float) beta2, eps = (float) ADAM_EPS;
                    if (type == OptimizerType.ADAMW && param.decays && weightDecay > 0) {
                        float shrink = (float) (1 - learningRate * weightDecay);   // AdamW: apart from the gradient
                        for (int i = 0; i < n; i++) w[i] *= shrink;
                    }
                    for (int i = 0; i < n; i++) {
                        m[i] = b1 * m[i] + (1 - b1) * g[i];
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                        w[i] -= lr * (m[i] / correction1) / ((float) Math.sqrt(v[i] / correction2) + eps);
                    }
                    first.write(0, m, 0, n);
                    second.write(0, v, 0, n);
                    break;
                }
                default:
                    throw new IllegalStateException(String.valueOf(type));
            }
            param.w.write(0, w, 0, n);
            param.dw.zero();
        }
    }
}

package dev.rnnplayground.engine;

import dev.rnnplayground.core.OptimizerType;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * core's {@code Optimizer} in float32: the same four update rules with PyTorch's constants, the
 * same per-parameter buffers under the same names ("exp_avg", "exp_avg_sq", "sum", "square_avg"),
 * so its state can be exported into a checkpoint and read back without losing a bit.
 */
final class FloatOptimizer {
    static final double BETA1 = 0.9, BETA2 = 0.999, ADAM_EPS = 1e-8;
    static final double RMS_ALPHA = 0.99, RMS_EPS = 1e-8, ADAGRAD_EPS = 1e-10;

    final OptimizerType type;
    final double learningRate;
    long steps;
    /** buffer kind -> one array per parameter, in the order of the parameter list. */
    final Map<String, FloatArray[]> buffers = new LinkedHashMap<>();
    private final List<FloatParam> params;

    FloatOptimizer(OptimizerType type, double learningRate, List<FloatParam> params) {
        this.type = type;
        this.learningRate = learningRate;
        this.params = params;
        for (String kind : kinds(type)) {
            FloatArray[] arrays = new FloatArray[params.size()];
            for (int i = 0; i < arrays.length; i++) arrays[i] = new FloatArray(params.get(i).size());
            buffers.put(kind, arrays);
        }
    }

    static String[] kinds(OptimizerType type) {
        switch (type) {
            case ADAM: return new String[] {"exp_avg", "exp_avg_sq"};
            case RMSPROP: return new String[] {"square_avg"};
            case ADAGRAD: return new String[] {"sum"};
            default: return new String[0];
        }
    }

    /** One update of every parameter from its gradient, which is then cleared. */
    void step() {
        steps++;
        float lr = (float) learningRate;
        float correction1 = (float) (1 - Math.pow(BETA1, steps));
        float correction2 = (float) (1 - Math.pow(BETA2, steps));
        for (int p = 0; p < params.size(); p++) {
            FloatParam param = params.get(p);
            FloatBuffer w = param.w.buf, g = param.dw.buf;
            int n = param.size();
            switch (type) {
                case SGD:
                    for (int i = 0; i < n; i++) w.put(i, w.get(i) - lr * g.get(i));
                    break;
                case ADAGRAD: {
                    FloatBuffer sum = buffers.get("sum")[p].buf;
                    for (int i = 0; i < n; i++) {
                        float gi = g.get(i), s = sum.get(i) + gi * gi;
                        sum.put(i, s);
                        w.put(i, w.get(i) - lr * gi / ((float) Math.sqrt(s) + (float) ADAGRAD_EPS));
                    }
                    break;
                }
                case RMSPROP: {
                    FloatBuffer v = buffers.get("square_avg")[p].buf;
                    float alpha = (float) RMS_ALPHA;
                    for (int i = 0; i < n; i++) {
                        float gi = g.get(i), vi = alpha * v.get(i) + (1 - alpha) * gi * gi;
                        v.put(i, vi);
                        w.put(i, w.get(i) - lr * gi / ((float) Math.sqrt(vi) + (float) RMS_EPS));
                    }
                    break;
                }
                case ADAM: {
                    FloatBuffer m = buffers.get("exp_avg")[p].buf, v = buffers.get("exp_avg_sq")[p].buf;
                    float b1 = (float) BETA1, b2 = (float) BETA2;
                    for (int i = 0; i < n; i++) {
                        float gi = g.get(i);
                        float mi = b1 * m.get(i) + (1 - b1) * gi;
                        float vi = b2 * v.get(i) + (1 - b2) * gi * gi;
                        m.put(i, mi);
                        v.put(i, vi);
                        w.put(i, w.get(i) - lr * (mi / correction1) / ((float) Math.sqrt(vi / correction2) + (float) ADAM_EPS));
                    }
                    break;
                }
                default:
                    throw new IllegalStateException(String.valueOf(type));
            }
            param.dw.zero();
        }
    }
}

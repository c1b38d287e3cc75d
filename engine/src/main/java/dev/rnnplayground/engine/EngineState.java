package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fast engine's weights and optimizer state, copied to and from the reference objects (a
 * model's {@link Param}s, core's {@link Optimizer}) without losing a bit: every float is a double,
 * and a double that came from a float converts back to the same float. What checkpoints, exact
 * resume and sampling during training rest on.
 */
final class EngineState {
    private EngineState() {
    }

    /** Writes the weights into {@code reference} (same order) and the optimizer's step count and buffers into {@code referenceOptimizer}. */
    static void exportTo(List<FloatParam> params, FloatOptimizer optimizer, List<Param> reference, Optimizer referenceOptimizer) {
        Map<String, double[]> state = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            FloatParam p = params.get(i);
            p.copyTo(p.w, reference.get(i).w);
            for (Map.Entry<String, FloatArray[]> kind : optimizer.buffers.entrySet()) {
                double[] values = new double[p.size()];
                p.copyTo(kind.getValue()[i], values);
                state.put(kind.getKey() + "." + p.name, values);
            }
        }
        referenceOptimizer.restore(optimizer.steps, state);
    }

    /** Reads them back; a buffer the reference optimizer does not have yet (before its first step) starts at zero. */
    static void importFrom(List<FloatParam> params, FloatOptimizer optimizer, List<Param> reference, Optimizer referenceOptimizer) {
        Map<String, double[]> state = referenceOptimizer.state();
        for (int i = 0; i < params.size(); i++) {
            FloatParam p = params.get(i);
            p.copyFrom(reference.get(i).w, p.w);
            for (Map.Entry<String, FloatArray[]> kind : optimizer.buffers.entrySet()) {
                double[] values = state.get(kind.getKey() + "." + p.name);
                if (values == null) kind.getValue()[i].zero();
                else p.copyFrom(values, kind.getValue()[i]);
            }
        }
        optimizer.steps = referenceOptimizer.stepCount();
    }

    /** The gradients in PyTorch's layout, one array per parameter (for tests). */
    static double[][] gradients(List<FloatParam> params) {
        double[][] out = new double[params.size()][];
        for (int i = 0; i < out.length; i++) {
            FloatParam p = params.get(i);
            out[i] = new double[p.size()];
            p.copyTo(p.dw, out[i]);
        }
        return out;
    }
}

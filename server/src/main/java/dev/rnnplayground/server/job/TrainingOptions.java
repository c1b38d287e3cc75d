package dev.rnnplayground.server.job;

import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/training/options}: the one list of defaults ({@link Hyperparameter}), each
 * optimizer's default learning rate, and this server's limits ({@link JobLimits#SERVER}), so the
 * page's form offers what {@code POST /api/jobs} accepts without keeping its own copy. Every
 * hyperparameter with a fixed default is under "defaults" (lr follows the optimizer, epochs has
 * none), every one with a range under "limits".
 * <pre>
 * {"defaults": {"cell": "lstm", "hidden": 128, …, "dropout": 0},
 *  "learningRates": {"adam": 0.002, …},
 *  "limits": {"hidden": {"min": 1, "max": 1024}, …, "lr": {"min": 0, "max": 10, "minExcluded": true},
 *             "parameters": {"min": 1, "max": 20000000}}}
 * </pre>
 */
public final class TrainingOptions {

    private TrainingOptions() {
    }

    public static Map<String, Object> forServer() {
        return of(TrainConfig.defaults(), JobLimits.SERVER);
    }

    static Map<String, Object> of(TrainConfig d, TrainLimits l) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            if (h.defaultValue == null) continue;
            Object value = h.toWire(d.get(h));
            defaults.put(h.key, value instanceof Double x ? number(x) : value);
        }

        Map<String, Object> learningRates = new LinkedHashMap<>();
        for (OptimizerType o : new OptimizerType[] {OptimizerType.ADAM, OptimizerType.ADAMW, OptimizerType.RMSPROP, OptimizerType.ADAGRAD, OptimizerType.SGD}) {
            learningRates.put(o.id(), number(o.defaultLearningRate()));
        }

        Map<String, Object> limits = new LinkedHashMap<>();
        l.ranges().forEach((h, range) -> limits.put(h.key, range(range)));
        limits.put("parameters", range(TrainLimits.Range.of(1, l.maxParameters())));

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("defaults", defaults);
        options.put("learningRates", learningRates);
        options.put("limits", limits);
        return options;
    }

    private static Map<String, Object> range(TrainLimits.Range r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", number(r.min()));
        m.put("max", number(r.max()));
        if (r.minExcluded()) m.put("minExcluded", true);
        return m;
    }

    /** A whole number as an integer in the JSON (5, not 5.0), anything else as it is. */
    static Number number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? (Number) (long) x : (Number) x;
    }
}

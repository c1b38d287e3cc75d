package dev.rnnplayground.server.job;

import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainLimits;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/training/options}: the one list of defaults ({@link TrainConfig#defaults()}),
 * each optimizer's default learning rate, and this server's limits ({@link TrainLimits#SERVER}),
 * so the page's form offers what {@code POST /api/jobs} accepts without keeping its own copy.
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
        return of(TrainConfig.defaults(), TrainLimits.SERVER);
    }

    static Map<String, Object> of(TrainConfig d, TrainLimits l) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("cell", d.cell().id());
        defaults.put("hidden", d.hidden());
        defaults.put("layers", d.layers());
        defaults.put("seqLength", d.seqLength());
        defaults.put("batchSize", d.batchSize());
        defaults.put("optimizer", d.optimizer().id());
        defaults.put("clip", number(d.clip()));
        defaults.put("clipMode", d.clipMode().name().toLowerCase(Locale.ROOT));
        defaults.put("steps", d.steps());
        defaults.put("valFraction", number(d.valFraction()));
        defaults.put("seed", d.seed());
        defaults.put("evalEvery", d.evalEvery());
        defaults.put("sampleEvery", d.sampleEvery());
        defaults.put("checkpointEvery", d.checkpointEvery());
        defaults.put("dropout", number(d.dropout()));

        Map<String, Object> learningRates = new LinkedHashMap<>();
        for (OptimizerType o : new OptimizerType[] {OptimizerType.ADAM, OptimizerType.RMSPROP, OptimizerType.ADAGRAD, OptimizerType.SGD}) {
            learningRates.put(o.id(), number(o.defaultLearningRate()));
        }

        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("hidden", range(l.hidden()));
        limits.put("layers", range(l.layers()));
        limits.put("seqLength", range(l.seqLength()));
        limits.put("batchSize", range(l.batchSize()));
        limits.put("lr", range(l.learningRate()));
        limits.put("clip", range(l.clip()));
        limits.put("steps", range(l.steps()));
        limits.put("epochs", range(l.epochs()));
        limits.put("valFraction", range(l.valFraction()));
        limits.put("evalEvery", range(l.evalEvery()));
        limits.put("sampleEvery", range(l.sampleEvery()));
        limits.put("checkpointEvery", range(l.checkpointEvery()));
        limits.put("dropout", range(l.dropout()));
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
    private static Number number(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? (Number) (long) x : (Number) x;
    }
}

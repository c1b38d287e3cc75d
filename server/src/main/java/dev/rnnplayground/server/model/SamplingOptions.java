package dev.rnnplayground.server.model;

import dev.rnnplayground.core.sample.SampleConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/sampling/options}: the sampling defaults and limits of {@link SampleConfig}, as
 * {@code /api/training/options} serves the training ones, so the page's Generate panel (its
 * temperature slider, its length field) has no copy of its own.
 * <pre>
 * {"defaults": {"prime": "", "length": 200, "temperature": 1.0, "topK": 0, "seed": 1},
 *  "page": {"prime": "The ", "length": 400, "temperature": 0.8, "topK": 0, "seed": 1},
 *  "limits": {"length": {"min": 0, "max": 100000}, "serverLength": {"min": 0, "max": 10000},
 *             "temperature": {"min": 0, "max": 100}, "topK": {"min": 0}},
 *  "slider": {"temperature": {"min": 0, "max": 2}}}
 * </pre>
 * {@code length} bounds a sample written in the browser or by {@code rnn sample}; {@code serverLength}
 * one the server writes.
 */
public final class SamplingOptions {

    private SamplingOptions() {
    }

    public static Map<String, Object> get() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("length", range(0, SampleConfig.MAX_LENGTH));
        limits.put("serverLength", range(0, Inference.MAX_SAMPLE_LENGTH));
        limits.put("temperature", range(0, SampleConfig.MAX_TEMPERATURE));
        limits.put("topK", Map.of("min", 0));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("defaults", SampleConfig.DEFAULTS);
        options.put("page", SampleConfig.PAGE);
        options.put("limits", limits);
        options.put("slider", Map.of("temperature", range(0, SampleConfig.SLIDER_MAX_TEMPERATURE)));
        return options;
    }

    private static Map<String, Object> range(Number min, Number max) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", min);
        m.put("max", max);
        return m;
    }
}

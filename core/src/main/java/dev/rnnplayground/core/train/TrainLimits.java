package dev.rnnplayground.core.train;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How small and how large every numeric training setting may be: {@link TrainConfig#validate(TrainLimits)}
 * checks a run against a set of these, so {@code rnn train} and {@code POST /api/jobs} refuse with
 * the same words. {@link #COMMAND_LINE} is the ranges written in {@link Hyperparameter}; a server
 * narrows some of them with {@link #with(Hyperparameter, Range)} (its own policy, kept in the
 * server) and hands its set to the page ({@code GET /api/training/options}).
 */
public final class TrainLimits {

    /** For a run on your own machine ({@code rnn train}): bounded only where a value makes no sense. */
    public static final TrainLimits COMMAND_LINE = commandLine();

    private final Map<Hyperparameter, Range> ranges;
    private final long maxParameters;

    private TrainLimits(Map<Hyperparameter, Range> ranges, long maxParameters) {
        this.ranges = Collections.unmodifiableMap(ranges);
        this.maxParameters = maxParameters;
    }

    private static TrainLimits commandLine() {
        Map<Hyperparameter, Range> ranges = new EnumMap<>(Hyperparameter.class);
        for (Hyperparameter h : Hyperparameter.values()) if (h.range != null) ranges.put(h, h.range);
        return new TrainLimits(ranges, Long.MAX_VALUE);
    }

    /** The range of {@code h}, or null where any value of its type is allowed (choices, the seed). */
    public Range range(Hyperparameter h) {
        return ranges.get(h);
    }

    /** Every limited hyperparameter with its range, in {@link Hyperparameter}'s order. */
    public Map<Hyperparameter, Range> ranges() {
        return ranges;
    }

    /** Weights and biases of the whole network, at most. */
    public long maxParameters() {
        return maxParameters;
    }

    /** These limits with {@code h}'s range replaced. */
    public TrainLimits with(Hyperparameter h, Range range) {
        Map<Hyperparameter, Range> changed = new EnumMap<>(ranges);
        changed.put(h, range);
        return new TrainLimits(changed, maxParameters);
    }

    public TrainLimits withMaxParameters(long max) {
        return new TrainLimits(new EnumMap<>(ranges), max);
    }

    /**
     * The values from {@code min} to {@code max}, both included, or above {@code min} when
     * {@code minExcluded} (a learning rate of 0 is not a learning rate).
     */
    public record Range(double min, double max, boolean minExcluded) {
        public static Range of(double min, double max) {
            return new Range(min, max, false);
        }

        public static Range above(double min, double max) {
            return new Range(min, max, true);
        }

        /** False for NaN. */
        public boolean contains(double x) {
            return (minExcluded ? x > min : x >= min) && x <= max;
        }

        /** "must be 1 to 2048" or "must be greater than 0 and at most 10", for an error message. */
        public String rule() {
            return minExcluded ? "must be greater than " + show(min) + " and at most " + show(max)
                    : "must be " + show(min) + " to " + show(max);
        }

        /** A bound as a person writes it: 2048, not 2048.0; 0.5 as is. */
        public static String show(double x) {
            return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
        }
    }
}

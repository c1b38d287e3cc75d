package dev.rnnplayground.core.optim;

/**
 * The learning rate of each step, as nanoGPT's {@code get_lr}: a linear warm-up over the first
 * {@code warmup} steps (from lr/(warmup+1) up to lr), then either constant or a cosine decay that
 * reaches a tenth of lr at the last step (nanoGPT's {@code min_lr = learning_rate / 10}).
 * A warm-up keeps Adam's first updates, made from barely-estimated moments, small; the decay lets
 * the last steps settle into a minimum instead of bouncing around it.
 */
public final class LearningRateSchedule {
    /** Constant after the warm-up, or a cosine decay to a tenth by the last step. */
    public enum Shape {
        CONSTANT, COSINE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Shape parse(String name) {
            for (Shape s : values()) if (s.id().equalsIgnoreCase(name)) return s;
            throw new IllegalArgumentException("unknown learning-rate schedule \"" + name + "\": expected constant or cosine");
        }
    }

    private final double learningRate;
    private final long warmup;
    private final Shape shape;
    private final long totalSteps;

    public LearningRateSchedule(double learningRate, long warmup, Shape shape, long totalSteps) {
        this.learningRate = learningRate;
        this.warmup = warmup;
        this.shape = shape;
        this.totalSteps = totalSteps;
    }

    /** The learning rate for the step that follows {@code stepsDone} steps (nanoGPT's iteration {@code it}). */
    public double at(long stepsDone) {
        if (stepsDone < warmup) return learningRate * (stepsDone + 1) / (warmup + 1);
        if (shape == Shape.CONSTANT) return learningRate;
        double min = learningRate / 10;
        if (stepsDone >= totalSteps || totalSteps <= warmup) return min;
        double progress = (double) (stepsDone - warmup) / (totalSteps - warmup);
        return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (learningRate - min);
    }
}

package dev.rnnplayground.core.train;

/** Thrown when the loss becomes NaN, infinite or explodes: the run stops rather than produce garbage. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}

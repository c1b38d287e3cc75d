package dev.rnnplayground.core.util;

/** Thrown by {@link Deadline#check} when a computation ran past its time limit. */
public final class DeadlineExceededException extends RuntimeException {
    private final long limitMillis;

    public DeadlineExceededException(long limitMillis) {
        super("the computation was stopped after its limit of " + limitMillis + " ms");
        this.limitMillis = limitMillis;
    }

    public long limitMillis() {
        return limitMillis;
    }
}

package dev.rnnplayground.core.util;

/**
 * When a long computation gives up: sampling, prediction, inspection and the gradient-reach
 * measurement ask {@link #check} between their steps and stop with a
 * {@link DeadlineExceededException}. Cooperative: nothing is interrupted in the middle of a product,
 * so a computation stops at most one step (one symbol, one pass, one batch of windows) late.
 */
public final class Deadline {

    /** No limit: the command line and the browser run every computation to its end. */
    public static final Deadline NONE = new Deadline(0, 0);

    private final long endNanos;
    private final long limitMillis;

    private Deadline(long endNanos, long limitMillis) {
        this.endNanos = endNanos;
        this.limitMillis = limitMillis;
    }

    /** A deadline {@code millis} from now. */
    public static Deadline after(long millis) {
        return new Deadline(System.nanoTime() + millis * 1_000_000, millis);
    }

    /** Throws when the time is up; returns at once for {@link #NONE}. */
    public void check() {
        if (this != NONE && System.nanoTime() - endNanos > 0) throw new DeadlineExceededException(limitMillis);
    }
}

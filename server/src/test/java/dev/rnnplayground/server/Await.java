package dev.rnnplayground.server;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the tests wait: poll a value until a condition holds or a deadline passes, then fail
 * with the last value seen. Never a bare sleep loop, so a broken job fails the build instead of
 * hanging it.
 */
public final class Await {

    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Polls {@code probe} until {@code done} accepts its value; returns that value. */
    public static <T> T until(Duration deadline, Supplier<T> probe, Predicate<? super T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T value = probe.get();
            if (done.test(value)) return value;
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("still not there after " + deadline.toMillis() + " ms; last seen: " + value);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting; last seen: " + value, e);
            }
        }
    }

    /** Waits until {@code condition} is true. */
    public static void until(Duration deadline, java.util.function.BooleanSupplier condition) {
        until(deadline, condition::getAsBoolean, Boolean::booleanValue);
    }
}

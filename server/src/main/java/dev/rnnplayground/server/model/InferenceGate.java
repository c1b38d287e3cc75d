package dev.rnnplayground.server.model;

import dev.rnnplayground.server.common.ServiceException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets only a few sample, predict and inspect requests compute at once, so that a crowd of
 * clients cannot take the cores training runs on: the server has as many permits as it has cores
 * left over by the training workers (at least one). A request waits a few seconds for a permit;
 * if none comes free it is refused with 503 and {@code Retry-After}, rather than queueing forever.
 */
public final class InferenceGate {

    /** What a refused client is told to wait before it tries again (the Retry-After header). */
    public static final int RETRY_AFTER_SECONDS = 2;

    private final Semaphore permits;
    private final long waitMillis;

    public InferenceGate(int permits, long waitMillis) {
        this.permits = new Semaphore(Math.max(1, permits), true);
        this.waitMillis = waitMillis;
    }

    /** One permit per core the training workers leave free, at least one. */
    public static InferenceGate forWorkers(int workers) {
        return new InferenceGate(Runtime.getRuntime().availableProcessors() - workers, 10_000);
    }

    public <T> T run(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "Busy",
                    "The server is busy answering other requests for models; try again in a few seconds.");
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}

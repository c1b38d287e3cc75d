package dev.rnnplayground.server.model;

import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.core.util.DeadlineExceededException;
import dev.rnnplayground.server.common.ServiceException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Lets only a few sample, predict, inspect and reach requests compute at once, and each only for
 * a while, so that a crowd of clients cannot take the cores training runs on: the server has as
 * many permits as it has cores left over by the training workers (at least one). A request waits a
 * few seconds for a permit; if none comes free it is refused with 503 and {@code Retry-After},
 * rather than queueing forever. One that has a permit computes until its {@link Deadline}, checked
 * between its steps; past it, it stops and is answered 503 too.
 */
public final class InferenceGate {

    /** What a refused client is told to wait before it tries again (the Retry-After header). */
    public static final int RETRY_AFTER_SECONDS = 2;
    /** How long one request may compute: three times the cost cap's worst case on one core. */
    public static final long COMPUTE_MILLIS = 30_000;

    private final Semaphore permits;
    private final long waitMillis;
    private final long computeMillis;

    public InferenceGate(int permits, long waitMillis) {
        this(permits, waitMillis, COMPUTE_MILLIS);
    }

    public InferenceGate(int permits, long waitMillis, long computeMillis) {
        this.permits = new Semaphore(Math.max(1, permits), true);
        this.waitMillis = waitMillis;
        this.computeMillis = computeMillis;
    }

    /** The share of the heap that requests computing together may fill with their activations. */
    public static final double HEAP_SHARE = 0.25;

    /**
     * One permit per core the training workers leave free, at least one, and no more than
     * {@value #HEAP_SHARE} of the heap holds of requests at their memory cap
     * ({@link RequestCost#MAX_ACTIVATION_BYTES}).
     */
    public static InferenceGate forWorkers(int workers, long computeMillis) {
        int spareCores = Runtime.getRuntime().availableProcessors() - workers;
        int fitInHeap = (int) (Runtime.getRuntime().maxMemory() * HEAP_SHARE / RequestCost.MAX_ACTIVATION_BYTES);
        return new InferenceGate(Math.min(spareCores, fitInHeap), 10_000, computeMillis);
    }

    /** Runs {@code work} with a permit and a deadline that starts now. */
    public <T> T run(Function<Deadline, T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ServiceException.busy("The server is busy answering other requests for models; try again in a few"
                    + " seconds.", RETRY_AFTER_SECONDS);
        }
        try {
            return work.apply(Deadline.after(computeMillis));
        } catch (DeadlineExceededException e) {
            throw new ServiceException(ServiceException.Kind.UNAVAILABLE, "Stopped",
                    "The request was stopped after " + seconds(e.limitMillis()) + " of computing: ask for fewer"
                            + " symbols (or positions), or try again when the server is less busy.");
        } finally {
            permits.release();
        }
    }

    /** A permit held by work that outlives its request; {@link #release()} gives it back once, however often it is called. */
    public final class Held {
        private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);

        private Held() {
        }

        public void release() {
            if (held.compareAndSet(true, false)) permits.release();
        }
    }

    /**
     * Takes a permit for background work (the memory-span run, minutes long), without waiting: a
     * permit it holds is one a model request cannot have, so a busy server refuses at once with
     * 503 and {@code Retry-After} rather than let the run take a core the requests need.
     */
    public Held hold(String busyMessage) {
        if (!permits.tryAcquire()) throw ServiceException.busy(busyMessage, RETRY_AFTER_SECONDS);
        return new Held();
    }


    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " seconds" : millis / 1000.0 + " seconds";
    }
}

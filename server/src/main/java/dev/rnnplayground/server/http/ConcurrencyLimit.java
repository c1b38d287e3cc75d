package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.ServiceException;
import java.util.concurrent.Semaphore;

/**
 * At most so many requests of one kind at once (event streams, imports, uploads, downloads): each
 * holds a thread, memory or a disk stream while it runs, so a crowd of them could otherwise take
 * the whole server. One more is refused at once with 503 and {@code Retry-After}, not queued.
 */
public final class ConcurrencyLimit {

    /** What a refused client is told to wait before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /** Work that may throw what a Javalin handler may throw. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final Semaphore permits;
    private final int max;
    private final String what;

    /** @param what the kind, plural, for the refusal ("event streams", "model imports") */
    public ConcurrencyLimit(int max, String what) {
        this.permits = new Semaphore(Math.max(1, max));
        this.max = Math.max(1, max);
        this.what = what;
    }

    /** Runs {@code work} holding one of the permits, or refuses with 503 when all are taken. */
    public void run(Work work) throws Exception {
        if (!permits.tryAcquire()) {
            throw ServiceException.busy("This server serves at most " + max + " " + what + " at once; try again in a few"
                    + " seconds.", RETRY_AFTER_SECONDS);
        }
        try {
            work.run();
        } finally {
            permits.release();
        }
    }
}

package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.ServiceException;
import io.javalin.http.Context;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most so many requests of one kind at once (event streams, imports, uploads, downloads): each
 * holds a connection, memory or a disk stream while it runs, so a crowd of them could otherwise take
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

    /** One of the permits, held until {@link #release()}; releasing twice gives back one permit. */
    public final class Permit {
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Permit() {
        }

        public void release() {
            if (held.compareAndSet(true, false)) permits.release();
        }
    }

    private final Semaphore permits;
    private final int max;
    private final String what;
    private final long refusedBodyBytes;

    /** @param what the kind, plural, for the refusal ("event streams", "model imports") */
    public ConcurrencyLimit(int max, String what) {
        this(max, what, 0);
    }

    /**
     * @param refusedBodyBytes a refused request's body up to this size is read and dropped before
     *                         the 503 is sent: a client still sending its upload would otherwise see
     *                         the connection reset instead of the answer. Only requests that carry
     *                         the token get this far ({@link AccessGuard} refuses the others unread),
     *                         and the slow-body limits ({@link ConnectorLimits}) still apply.
     */
    public ConcurrencyLimit(int max, String what, long refusedBodyBytes) {
        this.permits = new Semaphore(Math.max(1, max));
        this.max = Math.max(1, max);
        this.what = what;
        this.refusedBodyBytes = refusedBodyBytes;
    }

    /** Runs {@code work} holding one of the permits, or refuses with 503 when all are taken. */
    public void run(Context ctx, Work work) throws Exception {
        Permit permit = acquire(ctx);
        try {
            work.run();
        } finally {
            permit.release();
        }
    }

    /**
     * Takes a permit for work that outlives its handler (an event stream, open until it ends), or
     * refuses with 503 when all are taken; the caller releases it when the work is over.
     */
    public Permit acquire(Context ctx) {
        if (!permits.tryAcquire()) {
            if (refusedBodyBytes > 0) ErrorMapping.drainUnreadBody(ctx, refusedBodyBytes);
            throw ServiceException.busy("This server serves at most " + max + " " + what + " at once; try again in a few"
                    + " seconds.", RETRY_AFTER_SECONDS);
        }
        return new Permit();
    }
}

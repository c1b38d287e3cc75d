package dev.rnnplayground.server.job;

import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.http.ConcurrencyLimit;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams of every job ({@code GET /api/jobs/{id}/events}), served without a
 * thread each: an open stream is a connection Javalin keeps open ({@link SseClient#keepAlive()})
 * and an entry here. One ticker looks at every stream a few times a second and hands those with
 * something to send (new events of the job's {@link ProgressHistory}, or a keep-alive comment
 * after a quiet spell) to a small pool of senders. A stream ends after the job's final event, when
 * its client goes (noticed at the next write) or when the server stops; its permit of the
 * {@link ConcurrencyLimit} is held until then.
 */
public final class EventStreams {

    /** How often every stream is looked at: the most a new event waits before it is sent. */
    static final long TICK_MILLIS = 200;
    /** A quiet stream gets a comment this often, well inside the connection's 30 s idle timeout. */
    static final long KEEP_ALIVE_MILLIS = 15_000;
    /**
     * Threads that write to the streams. A write blocks only while a client's socket buffer is
     * full, so a few suffice; a client that stops reading holds one until the idle timeout ends it.
     */
    static final int SENDERS = 4;

    private final ConcurrencyLimit permits;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemons("event-stream-ticker"));
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, daemons("event-stream-sender"));

    public EventStreams(ConcurrencyLimit permits) {
        this.permits = permits;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a stream of {@code history} that first sends what follows event {@code afterId}; a
     * 503 when all streams are taken. The handler returns at once; the stream stays open.
     */
    public void open(Context ctx, ProgressHistory history, long afterId) throws Exception {
        ConcurrencyLimit.Permit permit = permits.acquire(ctx);
        try {
            // SseHandler sends the headers, then calls this on another thread and returns
            new SseHandler(client -> {
                client.keepAlive();
                Stream stream = new Stream(client, history, afterId, permit);
                client.onClose(stream::closed);
                open.add(stream);
                stream.schedule();   // the replay goes out now, not at the next tick
            }).handle(ctx);
        } catch (Exception e) {
            permit.release();
            throw e;
        }
    }

    /** Ends every stream (an EventSource reconnects to the next server with Last-Event-ID) and the threads. */
    public void close() {
        ticker.shutdownNow();
        for (Stream s : open) s.client.close();
        senders.shutdownNow();
    }

    private void tick() {
        for (Stream s : open) s.schedule();
    }

    /** One client's stream: what it has been sent, and whether a sender is at work on it. */
    private final class Stream {
        final SseClient client;
        final ProgressHistory history;
        final ConcurrencyLimit.Permit permit;
        final AtomicBoolean sending = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();
        long lastSentId;      // touched by one sender at a time (see sending)
        long quietSince = System.currentTimeMillis();

        Stream(SseClient client, ProgressHistory history, long afterId, ConcurrencyLimit.Permit permit) {
            this.client = client;
            this.history = history;
            this.lastSentId = afterId;
            this.permit = permit;
        }

        /** Hands the stream to a sender, unless one is already at work on it. */
        void schedule() {
            if (ended.get() || !sending.compareAndSet(false, true)) return;
            try {
                senders.execute(this::send);
            } catch (RejectedExecutionException stopping) {
                sending.set(false);
            }
        }

        private void send() {
            try {
                if (ended.get()) return;
                List<ProgressHistory.Event> batch = history.after(lastSentId);
                for (ProgressHistory.Event e : batch) {
                    client.sendEvent(e.type(), Jackson.toString(e.data()), Long.toString(e.id()));
                    lastSentId = e.id();
                    if (e.isFinal() || ended.get()) {
                        client.close();
                        return;
                    }
                }
                long now = System.currentTimeMillis();
                if (!batch.isEmpty()) {
                    quietSince = now;
                } else if (history.endsAt(lastSentId)) {
                    client.close();
                } else if (now - quietSince >= KEEP_ALIVE_MILLIS) {
                    client.sendComment("keep-alive");   // also notices a client that has gone
                    quietSince = now;
                }
            } catch (RuntimeException e) {
                client.close();   // e.g. a write to a response Jetty has already ended
            } finally {
                sending.set(false);
            }
        }

        /** SseClient's close callback: runs when the stream ends for any reason, at most once here. */
        void closed() {
            if (!ended.compareAndSet(false, true)) return;
            open.remove(this);
            permit.release();
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

package dev.rnnplayground.server;

import dev.rnnplayground.server.corpus.CorpusService;
import java.util.concurrent.CountDownLatch;

/**
 * The services behind the API, opened on one data directory. They know nothing about HTTP; the
 * {@link RnnServer} factory wires them to routes.
 */
public final class Services {

    private final CorpusService corpora;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Services(CorpusService corpora) {
        this.corpora = corpora;
    }

    /** Opens (creating if needed) the data directory of {@code config}. Starts no threads. */
    public static Services open(ServerConfig config) {
        CorpusService corpora = new CorpusService(config.dataDir(),
                new CorpusService.Limits(config.maxCorpusBytes(), config.maxDistinctSymbols()));
        return new Services(corpora);
    }

    public CorpusService corpora() {
        return corpora;
    }

    /** Starts the job workers and resumes unfinished jobs. */
    public void start() {
    }

    /** Stops the job workers, checkpointing running jobs so they resume on the next start. */
    public void stop() {
        stopped.countDown();
    }

    /** Blocks until {@link #stop()} has run. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }
}

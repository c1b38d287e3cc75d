package dev.rnnplayground.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToDoubleFunction;

/**
 * How the fast engines split a training step across threads: each group of the batch's streams
 * runs on its own thread (the first on the caller's), and the caller waits for all of them by
 * blocking, never by spinning, so a busy second core slows a step down instead of stalling it.
 * The groups' gradients are then added in group order, so the sums never depend on timing.
 */
final class TrainingThreads {
    /** Threads for the groups beyond the caller's, shared by every engine; idle ones end after a minute. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fast-engine-worker");
        t.setDaemon(true);   // an abandoned engine must not keep the JVM alive
        return t;
    });

    private TrainingThreads() {
    }

    /** Runs work(g) for g = 0 .. groups-1, group 0 on this thread; returns each group's result. */
    static double[] run(int groups, IntToDoubleFunction work) {
        double[] results = new double[groups];
        List<Future<?>> running = new ArrayList<>(groups - 1);
        for (int g = 1; g < groups; g++) {
            int group = g;
            running.add(HELPERS.submit(() -> {
                results[group] = work.applyAsDouble(group);
            }));
        }
        results[0] = work.applyAsDouble(0);
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the other training threads ran", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    /** mine += theirs, then theirs = 0 (through the two scratch arrays, each at least as long). */
    static void addAndClear(FloatArray mine, FloatArray theirs, float[] sumScratch, float[] addScratch) {
        int n = mine.length;
        mine.read(0, sumScratch, 0, n);
        theirs.read(0, addScratch, 0, n);
        for (int j = 0; j < n; j++) sumScratch[j] += addScratch[j];
        mine.write(0, sumScratch, 0, n);
        theirs.zero();
    }
}

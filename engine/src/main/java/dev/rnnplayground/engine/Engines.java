package dev.rnnplayground.engine;

import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.sample.TextWriter;
import dev.rnnplayground.core.train.ReferenceEngine;
import dev.rnnplayground.core.train.TrainingEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the engine a run trains with: the fast float32 engine on OpenBLAS unless asked for the
 * reference, and the reference whenever OpenBLAS cannot load here (said once, in one log line).
 */
public final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    /**
     * Training threads unless asked otherwise: two where the machine has them. Splitting the batch
     * across two threads trained 1.37-1.61x faster than one on every batched configuration of
     * scripts/bench.sh (docs/engines-and-benchmarks.md); more threads were not measured.
     */
    public static final int DEFAULT_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());
    private static boolean fallbackReported;

    public enum Choice {
        FAST, REFERENCE;

        public String id() {
            return name().toLowerCase();
        }

        public static Choice parse(String name) {
            for (Choice c : values()) if (c.id().equalsIgnoreCase(name)) return c;
            throw new IllegalArgumentException("unknown engine \"" + name + "\": expected fast or reference");
        }
    }

    private Engines() {
    }

    /**
     * The factory for a choice and a thread count (1 or more): the fast engine splits each step's
     * batch across that many threads, each calling OpenBLAS single-threaded.
     */
    public static TrainingEngine.Factory factory(Choice choice, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        if (choice == Choice.REFERENCE) return ReferenceEngine::new;
        String problem = NativeBlas.load();
        if (problem != null) {
            reportFallback(problem);
            return ReferenceEngine::new;
        }
        // the fast engine computes the recurrent networks and the GPT; the bigram trains on the reference
        return (config, model, optimizer, carried) -> {
            if (model instanceof CharRnn rnn) return new FastEngine(config, rnn, optimizer, (HiddenState) carried, threads);
            if (model instanceof Gpt gpt) return new FastGptEngine(config, gpt, optimizer, threads);
            return new ReferenceEngine(config, model, optimizer, carried);
        };
    }

    /**
     * What writes text for a choice: the fast engine's float32 {@link FastWriter}, or core's
     * {@link Generator} for the reference or where OpenBLAS cannot load.
     */
    public static TextWriter writer(Choice choice, LanguageModel model, double temperature, int topK, long seed) {
        if (choice == Choice.FAST && model instanceof CharRnn rnn) {
            String problem = NativeBlas.load();
            if (problem == null) return new FastWriter(rnn, temperature, topK, seed);
            reportFallback(problem);
        }
        return new Generator(model, temperature, topK, seed);
    }

    /** The default: the fast engine with the default thread count. */
    public static TrainingEngine.Factory fastest() {
        return factory(Choice.FAST, DEFAULT_THREADS);
    }

    private static synchronized void reportFallback(String problem) {
        if (fallbackReported) return;
        fallbackReported = true;
        LOG.warn("the fast engine is not available here ({}); using the reference engine (float64, slower)", problem);
    }
}

package dev.rnnplayground.server.training;

import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.TrainConfig;
import dev.rnnplayground.core.Trainer;

/**
 * Which code computes a training step: the one place where a run's engine is chosen, so that
 * {@code rnn bench} (and the commands that follow) only pass the choice on.
 * <ul>
 *   <li>{@code reference}: core's double-precision {@link Trainer}, the code a learner reads, on one thread;</li>
 *   <li>{@code fast}: the float32 engine of issue 7, not part of this build yet: asking for it is refused.</li>
 * </ul>
 */
public final class Engines {

    public enum Engine {
        REFERENCE("reference"), FAST("fast");

        private final String id;

        Engine(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Engine parse(String name) {
            for (Engine e : values()) if (e.id.equalsIgnoreCase(name)) return e;
            throw new IllegalArgumentException("unknown engine \"" + name + "\": expected fast or reference");
        }
    }

    private Engines() {
    }

    /**
     * Refuses an engine and thread count that cannot run here, in one sentence.
     *
     * @throws IllegalArgumentException naming what to ask instead
     */
    public static void check(Engine engine, int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads: must be at least 1, got " + threads);
        if (engine == Engine.FAST) {
            throw new IllegalArgumentException("--engine fast: the fast engine is not part of this build yet; use --engine reference");
        }
        if (threads != 1) throw new IllegalArgumentException("--threads: the reference engine runs on one thread, got " + threads);
    }

    /**
     * A trainer for this run on the chosen engine and number of threads (see {@link #check}).
     *
     * @throws IllegalArgumentException when the engine cannot run as asked, or core refuses the run
     */
    public static Trainer forConfig(Engine engine, int threads, TrainConfig config, String text, CharRnn initial) {
        check(engine, threads);
        return new Trainer(config, text, initial);
    }
}

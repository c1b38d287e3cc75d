package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import picocli.CommandLine.Option;

/** {@code --engine} and {@code --threads}, for a command that trains; the choice itself is {@link Engines}'. */
final class EngineOptions {

    @Option(names = "--engine", defaultValue = "fast", paramLabel = "fast|reference",
            description = "Which code computes the steps: fast = float32 on OpenBLAS, reference = the readable "
                    + "float64 core (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the fast engine; each step's batch is split across them "
                    + "(default: 2, or 1 on a one-core machine).")
    Integer threads;

    /** The engine asked for, refused as a {@link UserError} when unknown. */
    Engines.Choice choice() {
        return UserError.from(() -> Engines.Choice.parse(engine));
    }

    /** The engine factory asked for, refused as a {@link UserError} when the options are wrong. */
    TrainingEngine.Factory factory() {
        Engines.Choice chosen = choice();
        int count = threadCount();
        if (count < 1) throw new UserError("--threads: must be at least 1, got " + count);
        if (count > 64) throw new UserError("--threads: must be at most 64, got " + count);
        if (chosen == Engines.Choice.REFERENCE && count != 1) {
            throw new UserError("--threads: the reference engine runs on one thread, got " + count);
        }
        return Engines.factory(chosen, count);
    }

    int threadCount() {
        return threads != null ? threads : engine.equalsIgnoreCase("reference") ? 1 : Engines.DEFAULT_THREADS;
    }

    /** A trainer on the engine asked for; core's refusal of the text is prefixed with the file's name. */
    Trainer trainer(TrainConfig config, String text, LanguageModel initial, java.nio.file.Path textFile) {
        TrainingEngine.Factory engines = factory();
        try {
            return new Trainer(config, text, initial, engines);
        } catch (IllegalArgumentException e) {
            throw new UserError(textFile + ": " + e.getMessage());
        }
    }
}

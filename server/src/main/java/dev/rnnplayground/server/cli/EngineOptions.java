package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.TrainConfig;
import dev.rnnplayground.core.Trainer;
import dev.rnnplayground.server.training.Engines;
import picocli.CommandLine.Option;

/** {@code --engine} and {@code --threads}, for a command that trains; the choice itself is {@link Engines}'. */
final class EngineOptions {

    @Option(names = "--engine", defaultValue = "reference", paramLabel = "fast|reference",
            description = "Which code computes the steps: reference = the readable float64 core (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Threads the engine may use (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The engine asked for, refused as a {@link UserError} when it cannot run here. */
    Engines.Engine checked() {
        Engines.Engine chosen = UserError.from(() -> Engines.Engine.parse(engine));
        UserError.from(() -> {
            Engines.check(chosen, threads);
            return chosen;
        });
        return chosen;
    }

    /** A trainer on the engine asked for; core's refusal of the text is prefixed with the file's name. */
    Trainer trainer(TrainConfig config, String text, CharRnn initial, java.nio.file.Path textFile) {
        Engines.Engine chosen = checked();
        try {
            return Engines.forConfig(chosen, threads, config, text, initial);
        } catch (IllegalArgumentException e) {
            throw new UserError(textFile + ": " + e.getMessage());
        }
    }
}

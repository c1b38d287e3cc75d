package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.engine.Engines;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code rnn sample}: let a model write, like char-rnn's sample.lua. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = SampleCommand.Defaults.class,
        description = "Write text with a trained model, starting from a prime text.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model .safetensors file.")
    Path model;

    @Option(names = "--prime", defaultValue = "", description = "Text the model reads before writing (default: none).")
    String prime;

    @Option(names = "--length", description = "Characters to write (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature",
            description = "0 = always the likeliest character; 1 = as learned; higher = wilder (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Draw only among the K likeliest characters, 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", description = "Same seed, same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--engine", defaultValue = "reference", paramLabel = "reference|fast",
            description = "Which code writes: reference = the float64 core, as the page and the server (the same seed "
                    + "writes the same text there); fast = float32 on OpenBLAS, several times faster for large models, "
                    + "which may choose differently where two characters are nearly tied (default: ${DEFAULT-VALUE}).")
    String engine;

    /** The defaults of {@link SampleConfig#DEFAULTS}, shown by {@code --help}. */
    static final class Defaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            SampleConfig d = SampleConfig.DEFAULTS;
            if (!(arg instanceof OptionSpec option)) return null;
            return switch (option.longestName()) {
                case "--length" -> Integer.toString(d.length());
                case "--temperature" -> Double.toString(d.temperature());
                case "--top-k" -> Integer.toString(d.topK());
                case "--seed" -> Long.toString(d.seed());
                default -> null;
            };
        }
    }

    @Override
    public Integer call() {
        List<String> errors = new SampleConfig(prime, length, temperature, topK, seed).validate(SampleConfig.MAX_LENGTH);
        if (!errors.isEmpty()) throw new UserError(TrainCommand.toOption(errors.get(0)).replaceFirst(":", ""));
        LanguageModel m = InputFiles.readModel(model);
        Engines.Choice choice = UserError.from(() -> Engines.Choice.parse(engine));
        Sampler.Sample s = UserError.from(() -> Sampler.write(m.vocab(), Engines.writer(choice, m, temperature, topK, seed),
                prime, length, Deadline.NONE));
        if (!s.skippedSymbols().isEmpty()) {
            System.err.println("note: the prime's symbols " + String.join(" ", s.skippedSymbols()) + " are not in the model's vocabulary and were skipped");
        }
        System.out.println(prime + s.text());
        return 0;
    }
}

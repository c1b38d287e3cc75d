package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.engine.Engines;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn sample}: let a model write, like char-rnn's sample.lua. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write text with a trained model, starting from a prime text.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model .safetensors file.")
    Path model;

    @Option(names = "--prime", defaultValue = "", description = "Text the model reads before writing (default: none).")
    String prime;

    @Option(names = "--length", defaultValue = "200", description = "Characters to write (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "0 = always the likeliest character; 1 = as learned; higher = wilder (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Draw only among the K likeliest characters, 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "1", description = "Same seed, same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--engine", defaultValue = "reference", paramLabel = "reference|fast",
            description = "Which code writes: reference = the float64 core, as the page and the server (the same seed "
                    + "writes the same text there); fast = float32 on OpenBLAS, several times faster for large models, "
                    + "which may choose differently where two characters are nearly tied (default: ${DEFAULT-VALUE}).")
    String engine;

    @Override
    public Integer call() {
        if (length < 0 || length > Sampler.MAX_LENGTH) throw new UserError("--length must be 0 to " + Sampler.MAX_LENGTH + ", got " + length);
        if (!(temperature >= 0) || temperature > 100) throw new UserError("--temperature must be 0 to 100, got " + temperature);
        if (topK < 0) throw new UserError("--top-k must be 0 (all) or more, got " + topK);
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

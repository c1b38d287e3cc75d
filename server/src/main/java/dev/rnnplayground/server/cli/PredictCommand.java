package dev.rnnplayground.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.sample.Sampler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn predict}: what the model expects next, as JSON. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the next-character probabilities after a prime text, as JSON.")
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model .safetensors file.")
    Path model;

    @Option(names = "--prime", required = true, description = "Text the model reads first.")
    String prime;

    @Option(names = "--top", defaultValue = "10", description = "How many candidates (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        if (top < 1) throw new UserError("--top must be at least 1, got " + top);
        LanguageModel m = InputFiles.readModel(model);
        Sampler.Prediction p = UserError.from(() -> Sampler.predict(m, prime, top));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prime", prime);
        out.put("candidates", p.candidates());
        out.put("skippedSymbols", p.skippedSymbols());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        return 0;
    }
}

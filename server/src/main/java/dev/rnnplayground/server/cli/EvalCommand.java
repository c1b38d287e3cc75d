package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.train.Evaluator;
import dev.rnnplayground.server.common.Jackson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn eval}: how surprised a model is by a text. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Mean cross-entropy of predicting every character of a text from all the characters before it.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model .safetensors file.")
    Path model;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to evaluate on.")
    Path text;

    @Option(names = "--held-out", paramLabel = "F",
            description = "Evaluate the last F of the text only: with 0.05, exactly the part rnn train holds out by default.")
    Double heldOut;

    @Option(names = "--window", paramLabel = "N",
            description = "Judge non-overlapping windows of N characters, each from a blank memory (how a transformer with a block of N is judged); default: a gpt's block, an RNN's whole text.")
    Integer window;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        LanguageModel m = InputFiles.readModel(model);
        String content = InputFiles.readText(text);
        Vocab.Encoded encoded = m.vocab().encode(content);
        if (heldOut != null && !(heldOut > 0 && heldOut < 1)) throw new UserError("--held-out must be above 0 and below 1, got " + heldOut);
        int[] ids = heldOut == null ? encoded.ids() : Evaluator.heldOut(encoded.ids(), heldOut);
        if (ids.length < 2) {
            throw new UserError(text + " holds fewer than 2 characters the model knows" + (heldOut == null ? "" : " in its last " + heldOut));
        }
        long start = System.nanoTime();
        double loss = window == null ? Evaluator.meanLoss(m, ids) : UserError.from(() -> Evaluator.windowedLoss(m, ids, window));
        double seconds = (System.nanoTime() - start) / 1e9;
        int predicted = ids.length - 1;
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("lossNats", loss);
            result.put("bitsPerChar", loss / Math.log(2));
            result.put("characters", predicted);
            result.put("skipped", encoded.skippedCount());
            result.put("seconds", seconds);
            System.out.println(Jackson.toString(result));
        } else {
            System.out.printf(Locale.ROOT, "loss %.4f nats/char = %.4f bits/char over %,d characters (%d unknown skipped) in %.1f s%n",
                    loss, loss / Math.log(2), predicted, encoded.skippedCount(), seconds);
        }
        return 0;
    }
}

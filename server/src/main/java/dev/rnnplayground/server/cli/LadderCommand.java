package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.lab.Ladder;
import dev.rnnplayground.core.lab.LadderRung;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.Deadline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn experiment ladder}: Karpathy's ablation, bigram to GPT, one rung at a time with the
 * same budget ({@link Ladder}); a row per rung as it finishes, with the lecture's figure beside ours.
 */
@Command(name = "ladder", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Karpathy's ablation ladder: train a bigram table, one attention head, four heads, + MLP, + residual"
                + " (3 blocks) and + LayerNorm (our GPT) on the same text with the same budget, and print each rung's"
                + " training and held-out loss beside the lecture's held-out loss. Embedding 32, block 8."})
final class LadderCommand implements Callable<Integer> {

    @Option(names = "--text", defaultValue = "data/tinyshakespeare.txt", paramLabel = "FILE",
            description = "UTF-8 text (default: ${DEFAULT-VALUE}).")
    Path text;

    @Option(names = "--rungs", split = ",", paramLabel = "RUNG",
            description = "Rungs to run, from bigram, one-head, four-heads, mlp, residual, layernorm (default: all).")
    List<String> rungs;

    @Option(names = "--steps", defaultValue = "5000", description = "Optimizer steps per rung (default: ${DEFAULT-VALUE}, the lecture's).")
    long steps;

    @Option(names = "--batch-size", defaultValue = "32", description = "Windows of 8 per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "AdamW's learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW's decay, on matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--val-fraction", defaultValue = "0.1", description = "The end of the text held out (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--eval-symbols", defaultValue = "0",
            description = "Held-out symbols scored, and as many training symbols (default: 0, all of the held-out part).")
    int evalSymbols;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() {
        List<LadderRung> asked = new ArrayList<>();
        if (rungs == null) asked.addAll(List.of(LadderRung.values()));
        else for (String r : rungs) asked.add(UserError.from(() -> LadderRung.parse(r.trim())));
        List<LadderRung> chosen = asked.stream().distinct().sorted().toList();   // lowest first, however they were asked for
        if (steps < 1 || steps > 1_000_000) throw new UserError("--steps must be 1 to 1000000, got " + steps);
        if (evalSymbols < 0) throw new UserError("--eval-symbols must be 0 (all) or more, got " + evalSymbols);
        String content = InputFiles.readText(text);
        Ladder.Budget budget = new Ladder.Budget(batchSize, lr, weightDecay, steps, valFraction, evalSymbols, seed);
        int symbols = content.codePointCount(0, content.length());
        System.out.printf(Locale.ROOT, "the ladder on %s (%,d symbols, %d distinct, the last %.0f%% held out); every rung:"
                        + " %d steps of %d x %d, AdamW lr %s decay %s, seed %d%n", text.getFileName(), symbols,
                Vocab.of(content).size(), 100 * valFraction, steps, batchSize, LadderRung.BLOCK, lr, weightDecay, seed);
        System.out.printf(Locale.ROOT, "%-24s %10s %7s %7s %12s %8s%n", "rung", "parameters", "train", "val", "lecture val", "seconds");
        UserError.from(() -> Ladder.run(chosen, content, budget, Deadline.NONE, o -> System.out.printf(Locale.ROOT,
                "%-24s %,10d %7.4f %7.4f %12.2f %8.1f%n", o.rung().label(), o.parameters(), o.trainLoss(), o.valLoss(),
                o.lectureValLoss(), o.seconds())));
        return 0;
    }
}

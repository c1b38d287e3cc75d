package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.train.TrainConfig;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of {@code rnn train}'s options, read from the one list of defaults
 * ({@link TrainConfig#defaults()}) rather than written again in annotations; {@code --help} shows
 * them through {@code ${DEFAULT-VALUE}}.
 */
final class TrainDefaults implements IDefaultValueProvider {

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) return null;
        TrainConfig d = TrainConfig.defaults();
        return switch (option.longestName()) {
            case "--cell" -> d.cell().id();
            case "--hidden" -> Integer.toString(d.hidden());
            case "--layers" -> Integer.toString(d.layers());
            case "--seq-length" -> Integer.toString(d.seqLength());
            case "--batch-size" -> Integer.toString(d.batchSize());
            case "--optimizer" -> d.optimizer().id();
            case "--clip" -> plain(d.clip());
            case "--clip-mode" -> d.clipMode().name().toLowerCase(java.util.Locale.ROOT);
            case "--steps" -> Long.toString(d.steps());
            case "--val-fraction" -> plain(d.valFraction());
            case "--seed" -> Long.toString(d.seed());
            case "--checkpoint-every" -> Integer.toString(d.checkpointEvery());
            case "--eval-every" -> Integer.toString(d.evalEvery());
            case "--sample-every" -> Integer.toString(d.sampleEvery());
            case "--dropout" -> plain(d.dropout());
            default -> null;
        };
    }

    /** 5 rather than 5.0 in --help. */
    private static String plain(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}

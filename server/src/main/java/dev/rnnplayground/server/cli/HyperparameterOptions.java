package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.core.train.TrainConfig;
import java.util.Locale;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code rnn train}'s hyperparameter options, one per {@link Hyperparameter}, made from that list
 * when picocli builds the command ({@code --hidden}, {@code --seq-length}, …, each with its help
 * and default), so a new hyperparameter is an option without a line here. {@link #given} reads
 * back the ones typed; every other one keeps the default of {@link TrainConfig.Builder#build()}.
 */
public final class HyperparameterOptions implements IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec command) {
        for (Hyperparameter h : Hyperparameter.values()) {
            command.addOption(OptionSpec.builder(h.option)
                    .type(h.kind.wireType)
                    .arity(h.kind == Hyperparameter.Kind.BOOLEAN ? "0..1" : "1")
                    .paramLabel(paramLabel(h))
                    .description(h.help + " (default: " + defaultText(h) + ").")
                    .build());
        }
        return command;
    }

    /** A builder holding the hyperparameters typed on the command line. */
    static TrainConfig.Builder given(ParseResult parsed) {
        TrainConfig.Builder b = TrainConfig.builder();
        for (Hyperparameter h : Hyperparameter.values()) {
            if (parsed.hasMatchedOption(h.option)) {
                Object typed = parsed.matchedOptionValue(h.option, null);
                b.set(h, UserError.from(() -> h.fromWire(typed)));
            }
        }
        return b;
    }

    private static String paramLabel(Hyperparameter h) {
        return switch (h.kind) {
            case CHOICE -> String.join("|", h.choiceNames());
            case DOUBLE -> "X";
            case BOOLEAN -> "true|false";
            default -> "N";
        };
    }

    /** What {@code --help} says the default is: the value, or what decides it. */
    private static String defaultText(Hyperparameter h) {
        TrainConfig d = TrainConfig.defaults();
        return switch (h) {
            case CELL, HIDDEN, LAYERS, HEADS, BIAS, ATTEND -> plain(h.toWire(d.get(h))) + ", or the --init model's";
            case LR -> "the optimizer's: " + OptimizerType.ADAM.defaultLearningRate() + " for adam and rmsprop, "
                    + OptimizerType.SGD.defaultLearningRate() + " for sgd and adagrad";
            case STEPS -> d.steps() + " unless --epochs is given";
            case EPOCHS -> "none, --steps decides";
            default -> plain(h.toWire(d.get(h)));
        };
    }

    /** 5 rather than 5.0, lstm rather than LSTM. */
    private static String plain(Object x) {
        if (x instanceof Double v && v == Math.rint(v)) return Long.toString(v.longValue());
        return String.valueOf(x).toLowerCase(Locale.ROOT);
    }
}

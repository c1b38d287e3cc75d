package dev.rnnplayground.server.cli;

import static dev.rnnplayground.core.train.Hyperparameter.ATTEND;
import static dev.rnnplayground.core.train.Hyperparameter.BIAS;
import static dev.rnnplayground.core.train.Hyperparameter.HEADS;
import static dev.rnnplayground.core.train.Hyperparameter.HIDDEN;
import static dev.rnnplayground.core.train.Hyperparameter.LAYERS;
import static dev.rnnplayground.core.train.Hyperparameter.SEQ_LENGTH;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingDivergedException;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.training.ModelNotes;
import dev.rnnplayground.server.training.TrainingListener;
import dev.rnnplayground.server.training.TrainingLoop;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn train}: truncated BPTT on a text file, like char-rnn's train.lua. The hyperparameter
 * options, their defaults and help come from the one list ({@link HyperparameterOptions}), the
 * limits from {@code TrainLimits.COMMAND_LINE}, and the loop is the server's ({@link TrainingLoop}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = HyperparameterOptions.class,
        description = "Train a character-level model on a UTF-8 text file and write it as .safetensors.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to learn from.")
    Path text;

    @Option(names = "--init", paramLabel = "MODEL",
            description = "Start from this model's weights and vocabulary; its cell, hidden size and layers are used.")
    Path init;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run from its checkpoint file (other options are taken from it).")
    Path resume;

    @Option(names = "--out", defaultValue = "model.safetensors", paramLabel = "MODEL",
            description = "Where to write the trained model (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    EngineOptions engine;

    @Option(names = "--f64", description = "Write the model in float64 instead of float32.")
    boolean f64;

    @Option(names = "--quiet", description = "No progress output; only the final summary.")
    boolean quiet;

    @Override
    public Integer call() {
        String corpus = InputFiles.readText(text);
        Trainer trainer = resume != null ? resumeTrainer(corpus) : newTrainer(corpus);
        TrainConfig config = trainer.config();
        PrintStream err = System.err;
        if (trainer.skippedSymbols() > 0) {
            err.printf("note: %d characters of %s are not in the initial model's vocabulary and were skipped%n",
                    trainer.skippedSymbols(), text);
        }
        LanguageModel model = trainer.model();
        if (!quiet) {
            err.println("engine: " + trainer.engineDescription());
            err.printf(Locale.ROOT, "training a %s, %,d parameters, vocabulary of %d symbols%n",
                    Architecture.describe(model.shape()), model.parameterCount(), model.vocab().size());
            err.printf(Locale.ROOT, "%,d training and %,d validation characters; %d steps of %d x %d characters%n",
                    trainer.trainingSymbols(), trainer.validationSymbols(), trainer.totalSteps(),
                    config.batchSize(), config.seqLength());
        }
        Path checkpointFile = checkpointPath(out);
        TrainingListener.Summary[] result = new TrainingListener.Summary[1];
        try (TrainingProgress progress = TrainingProgress.open(quiet, trainer.stepsDone(), trainer.totalSteps())) {
            new TrainingLoop(trainer, 0, Double.POSITIVE_INFINITY, new TrainingListener() {
                @Override
                public void onStep(StepReport step) {
                    progress.step(step);
                }

                @Override
                public void onProgress(Progress p) {
                    progress.progress(p);
                }

                @Override
                public void onSample(long step, String sample) {
                    progress.sample(step, sample);
                }

                @Override
                public void onCheckpoint(Trainer t, double trainingSeconds) {
                    AtomicFiles.write(checkpointFile, Checkpoint.write(t));
                }

                @Override
                public void onFinish(Summary summary) {
                    result[0] = summary;
                }
            }).run();
        } catch (TrainingDivergedException e) {
            throw new UserError(e.getMessage());
        }
        TrainingListener.Summary s = result[0];
        AtomicFiles.write(out, ModelFile.write(trainer.model(), f64 ? DType.F64 : DType.F32,
                ModelNotes.of(config, text.getFileName().toString(), "rnn train", s)));
        System.out.printf(Locale.ROOT, "trained %d steps in %.1f s (%,.0f chars/s); train loss %s, validation loss %s; wrote %s%n",
                s.steps(), s.trainingSeconds(), s.charsPerSecond(), formatLoss(s.trainLoss(), "no steps run"),
                formatLoss(s.validationLoss(), "no validation text"), out);
        return 0;
    }

    private static String formatLoss(Double loss, String none) {
        return loss == null ? "n/a (" + none + ")"
                : String.format(Locale.ROOT, "%.4f nats/char (%.3f bits)", loss, loss / Math.log(2));
    }

    private Trainer newTrainer(String corpus) {
        LanguageModel initial = init == null ? null : InputFiles.readModel(init);
        TrainConfig.Builder settings = HyperparameterOptions.given(spec.commandLine().getParseResult());
        if (initial != null) takeShapeFrom(initial, settings);
        if (given("--steps") && given("--epochs")) throw new UserError("give --steps or --epochs, not both");
        TrainConfig config = settings.build();
        if (given("--steps") && config.steps() < 1) throw new UserError("--steps: must be at least 1, got " + config.steps());
        List<String> errors = config.validate();
        if (!errors.isEmpty()) throw new UserError(toOption(errors.get(0)));
        return engine.trainer(config, corpus, initial, text);
    }

    /**
     * --init's model decides its shape (the cell, and the sizes its family reads: hidden and layers,
     * a gpt's heads, block size and bias, an lstm-attention's look-back); repeating them is fine, contradicting them is not.
     */
    private void takeShapeFrom(LanguageModel initial, TrainConfig.Builder settings) {
        TrainConfig typed = settings.build();
        Map<String, String> shape = initial.shape();
        if (given("--cell") && typed.cell() != initial.kind()) conflict("--cell " + typed.cell().id(), shape);
        Architecture m = Architecture.fromShape(shape, Integer.MAX_VALUE);
        TrainConfig model = settings.cell(m.kind()).build().toBuilder().hidden(m.hidden()).layers(m.layers())
                .heads(m.heads()).seqLength(m.blockSize()).bias(m.bias()).attend(m.attend()).build();
        for (Hyperparameter h : new Hyperparameter[] {HIDDEN, LAYERS, HEADS, SEQ_LENGTH, BIAS, ATTEND}) {
            // a setting belongs to the shape when another value of it would change the shape
            Object other = model.get(h) instanceof Boolean b ? (Object) !b : (Object) ((Integer) model.get(h) + 1);
            if (model.toBuilder().set(h, other).build().architecture().shape().equals(shape)) continue;
            if (given(h.option) && !typed.get(h).equals(model.get(h))) conflict(h.option + " " + typed.get(h), shape);
            settings.set(h, model.get(h));
        }
    }

    private void conflict(String option, Map<String, String> shape) {
        throw new UserError(option + " contradicts --init " + init + ", a " + Architecture.describe(shape)
                + ": leave " + option.split(" ")[0] + " out to use the model's");
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private Trainer resumeTrainer(String corpus) {
        byte[] bytes = InputFiles.readBytes(resume, "checkpoint");
        try {
            return Checkpoint.resume(bytes, corpus, engine.factory());
        } catch (ModelFormatException | IllegalArgumentException e) {
            throw new UserError(resume + ": " + e.getMessage());
        }
    }

    /** "seqLength: must be ..." -> "--seq-length: must be ..." so the message names the flag typed. */
    static String toOption(String fieldError) {
        int colon = fieldError.indexOf(':');
        String field = fieldError.substring(0, colon);
        StringBuilder flag = new StringBuilder("--");
        for (char c : field.toCharArray()) {
            if (Character.isUpperCase(c)) flag.append('-').append(Character.toLowerCase(c));
            else flag.append(c);
        }
        return flag + fieldError.substring(colon);
    }

    static Path checkpointPath(Path model) {
        String name = model.getFileName().toString();
        String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return model.resolveSibling(base + ".ckpt.safetensors");
    }
}

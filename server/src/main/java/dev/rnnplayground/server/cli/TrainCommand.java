package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.CellType;
import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.Checkpoint;
import dev.rnnplayground.core.GradientClipping;
import dev.rnnplayground.core.OptimizerType;
import dev.rnnplayground.core.StepReport;
import dev.rnnplayground.core.TrainConfig;
import dev.rnnplayground.core.Trainer;
import dev.rnnplayground.core.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.core.format.DType;
import dev.rnnplayground.core.format.ModelFile;
import dev.rnnplayground.core.format.ModelFormatException;
import dev.rnnplayground.server.common.AtomicFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn train}: truncated BPTT on a text file, like char-rnn's train.lua. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a character-level model on a UTF-8 text file and write it as .safetensors.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to learn from.")
    Path text;

    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "rnn|lstm|gru",
            description = "Recurrent cell (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers, 1-4 (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--seq-length", defaultValue = "50", description = "Characters per BPTT window (default: ${DEFAULT-VALUE}).")
    int seqLength;

    @Option(names = "--batch-size", defaultValue = "1", description = "Parallel text streams per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|adagrad|rmsprop|sgd",
            description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate (default: 2e-3 for adam and rmsprop, 0.1 for sgd and adagrad).")
    Double learningRate;

    @Option(names = "--clip", defaultValue = "5", description = "Gradient clipping limit, 0 = off (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--clip-mode", defaultValue = "norm", paramLabel = "norm|value",
            description = "Clip the global norm or each value (default: ${DEFAULT-VALUE}).")
    String clipMode;

    @Option(names = "--steps", description = "Optimizer steps (default: 1000 unless --epochs is given).")
    Long steps;

    @Option(names = "--epochs", description = "Passes over the training text, instead of --steps.")
    Double epochs;

    @Option(names = "--val-fraction", defaultValue = "0.05", description = "Share of the text held out for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the initial weights and samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "Share of each layer's outputs dropped on the way to the next layer while training, 0 to 0.9 (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--init", paramLabel = "MODEL", description = "Start from this model's weights and vocabulary.")
    Path init;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run from its checkpoint file (other options are taken from it).")
    Path resume;

    @Option(names = "--out", defaultValue = "model.safetensors", paramLabel = "MODEL",
            description = "Where to write the trained model (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "N",
            description = "Write a resumable checkpoint every N steps to MODEL's name with .ckpt (default: never).")
    int checkpointEvery;

    @Option(names = "--eval-every", defaultValue = "200", paramLabel = "N",
            description = "Measure the validation loss every N steps (default: ${DEFAULT-VALUE}; 0 = at the end only).")
    int evalEvery;

    @Option(names = "--sample-every", defaultValue = "500", paramLabel = "N",
            description = "Print a 200-character sample every N steps (default: ${DEFAULT-VALUE}; 0 = never).")
    int sampleEvery;

    @Option(names = "--engine", defaultValue = "fast", paramLabel = "fast|reference",
            description = "fast: float32 on OpenBLAS; reference: the readable float64 core (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", description = "BLAS threads of the fast engine (default: " + Engines.DEFAULT_THREADS + ").")
    Integer threads;

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
        CharRnn model = trainer.model();
        if (!quiet) {
            err.println("engine: " + trainer.engineDescription());
            err.printf(Locale.ROOT, "training a %d-layer %s, %d hidden units, %,d parameters, vocabulary of %d symbols%n",
                    model.numLayers(), model.cell().id(), model.hiddenSize(), model.parameterCount(), model.vocab().size());
            err.printf(Locale.ROOT, "%,d training and %,d validation characters; %d steps of %d x %d characters%n",
                    trainer.trainingSymbols(), trainer.validationSymbols(), trainer.totalSteps(),
                    config.batchSize(), config.seqLength());
        }
        Path checkpointFile = checkpointPath(out);
        long startChars = trainer.charactersSeen();
        long start = System.nanoTime();
        double recentLoss = Double.NaN;
        double validationLoss = Double.NaN;
        try (TrainingProgress progress = TrainingProgress.open(quiet, trainer.stepsDone(), trainer.totalSteps())) {
            double sum = 0;
            int count = 0;
            while (!trainer.isDone()) {
                StepReport r = trainer.step();
                sum += r.loss();
                count++;
                double seconds = (System.nanoTime() - start) / 1e9;
                double charsPerSecond = (r.charactersSeen() - startChars) / Math.max(seconds, 1e-9);
                progress.update(r, charsPerSecond, validationLoss);
                if (count == 100 || trainer.isDone()) {
                    recentLoss = sum / count;
                    sum = 0;
                    count = 0;
                }
                if (evalEvery > 0 && r.step() % evalEvery == 0 && !trainer.isDone()) validationLoss = trainer.validationLoss();
                if (sampleEvery > 0 && r.step() % sampleEvery == 0 && !quiet) {
                    progress.print("--- sample at step " + r.step() + " ---\n" + trainer.sample("", 200, 0.8) + "\n---");
                }
                if (checkpointEvery > 0 && r.step() % checkpointEvery == 0 && !trainer.isDone()) {
                    AtomicFiles.write(checkpointFile, Checkpoint.write(trainer));
                }
            }
        }
        validationLoss = trainer.validationLoss();
        double seconds = (System.nanoTime() - start) / 1e9;
        AtomicFiles.write(out, ModelFile.write(model, f64 ? DType.F64 : DType.F32,
                notes(trainer, recentLoss, validationLoss)));
        System.out.printf(Locale.ROOT, "trained %d steps in %.1f s (%,.0f chars/s); train loss %.4f nats/char (%.3f bits), "
                        + "validation loss %s; wrote %s%n",
                trainer.stepsDone(), seconds, (trainer.charactersSeen() - startChars) / seconds,
                recentLoss, recentLoss / Math.log(2), formatLoss(validationLoss), out);
        return 0;
    }

    /** How the model was made, kept in its metadata for whoever loads it (the server shows it). */
    private Map<String, String> notes(Trainer trainer, double trainLoss, double validationLoss) {
        TrainConfig c = trainer.config();
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("corpus", text.getFileName().toString());
        notes.put("steps", Long.toString(trainer.stepsDone()));
        if (!Double.isNaN(trainLoss)) notes.put("train_loss", String.format(Locale.ROOT, "%.4f", trainLoss));
        if (!Double.isNaN(validationLoss)) notes.put("val_loss", String.format(Locale.ROOT, "%.4f", validationLoss));
        notes.put("description", String.format(Locale.ROOT,
                "%d-layer %s, %d hidden units, trained by rnn train on %s: %d steps of %d x %d characters, %s lr %s",
                c.layers(), c.cell().id(), c.hidden(), text.getFileName(), trainer.stepsDone(), c.batchSize(),
                c.seqLength(), c.optimizer().id(), c.learningRate()));
        return notes;
    }

    private static String formatLoss(double loss) {
        return Double.isNaN(loss) ? "n/a (no validation text)"
                : String.format(Locale.ROOT, "%.4f nats/char (%.3f bits)", loss, loss / Math.log(2));
    }

    private Trainer newTrainer(String corpus) {
        CellType cellType = UserError.from(() -> CellType.parse(cell));
        OptimizerType optimizerType = UserError.from(() -> OptimizerType.parse(optimizer));
        GradientClipping.Mode mode = UserError.from(() -> GradientClipping.Mode.parse(clipMode));
        if (steps != null && epochs != null) throw new UserError("give --steps or --epochs, not both");
        long stepCount = steps != null ? steps : epochs != null ? 0 : 1000;
        TrainConfig config = new TrainConfig(cellType, hidden, layers, seqLength, batchSize, optimizerType,
                learningRate != null ? learningRate : optimizerType.defaultLearningRate(), clip, mode,
                stepCount, epochs != null ? epochs : 0, valFraction, seed, evalEvery, checkpointEvery, sampleEvery, dropout);
        List<String> errors = config.validate();
        if (steps != null && steps < 1) errors.add(0, "steps: must be at least 1, got " + steps);
        if (!errors.isEmpty()) throw new UserError(toOption(errors.get(0)));
        CharRnn initial = null;
        if (init != null) {
            initial = InputFiles.readModel(init);
            if (initial.cell() != cellType || initial.hiddenSize() != hidden || initial.numLayers() != layers) {
                throw new UserError("--init " + init + " is a " + initial.numLayers() + "-layer " + initial.cell().id()
                        + " with " + initial.hiddenSize() + " hidden units: pass --cell " + initial.cell().id()
                        + " --hidden " + initial.hiddenSize() + " --layers " + initial.numLayers());
            }
        }
        try {
            return new Trainer(config, corpus, initial, engines());
        } catch (IllegalArgumentException e) {
            throw new UserError(text + ": " + e.getMessage());
        }
    }

    private Trainer resumeTrainer(String corpus) {
        byte[] bytes = InputFiles.readBytes(resume, "checkpoint");
        try {
            return Checkpoint.resume(bytes, corpus, engines());
        } catch (ModelFormatException | IllegalArgumentException e) {
            throw new UserError(resume + ": " + e.getMessage());
        }
    }

    private TrainingEngine.Factory engines() {
        Engines.Choice choice = UserError.from(() -> Engines.Choice.parse(engine));
        int threadCount = threads == null ? Engines.DEFAULT_THREADS : threads;
        if (threadCount < 1 || threadCount > 64) throw new UserError("--threads: must be 1 to 64, got " + threadCount);
        return Engines.factory(choice, threadCount);
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

package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.sample.TextWriter;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.common.Jackson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rnn bench}: the same work and the same one-line JSON as the peer programs in
 * the PyTorch peer {@code torch_charrnn.py} (Adam 2e-3, clip 5 by norm, 10 warm-up steps, then timed
 * training steps and timed one-character-at-a-time sampling), so {@code scripts/bench.sh} can put
 * them side by side. It reports speed only; nothing here asserts a time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure training and sampling speed in characters per second; prints one JSON line.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to train on.")
    Path text;

    @Option(names = "--cell", defaultValue = "rnn", description = "rnn, lstm, gru, gpt or bigram (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", defaultValue = "128", description = "Hidden units; a gpt's n_embd (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Layers; a gpt's blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "A gpt's attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--bias", defaultValue = "true", arity = "1", description = "A gpt's Linear and LayerNorm biases, as torch_chargpt.py (default: ${DEFAULT-VALUE}).")
    boolean bias;

    @Option(names = {"--seq", "--seq-length"}, defaultValue = "50", description = "BPTT window; a gpt's block (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = {"--batch", "--batch-size"}, defaultValue = "1", description = "Streams per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "200", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--sample", defaultValue = "2000", description = "Timed sampled characters (default: ${DEFAULT-VALUE}).")
    int sample;

    @Mixin
    EngineOptions engine;

    private static final int WARM_UP_STEPS = 10;

    @Override
    public Integer call() {
        if (steps < 1 || sample < 1) throw new UserError("--steps and --sample must be at least 1");
        CellType cellType = UserError.from(() -> CellType.parse(cell));
        TrainConfig config = TrainConfig.builder().cell(cellType).hidden(hidden).layers(layers).heads(heads).bias(bias).seqLength(seq)
                .batchSize(batch).learningRate(2e-3).steps(WARM_UP_STEPS + steps).valFraction(0).seed(0)
                .evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        List<String> errors = config.validate();
        if (!errors.isEmpty()) throw new UserError(TrainCommand.toOption(errors.get(0)));
        Trainer trainer = engine.trainer(config, InputFiles.readText(text), null, text);
        for (int i = 0; i < WARM_UP_STEPS; i++) trainer.step();
        long t0 = System.nanoTime();
        double lastLoss = 0;
        for (int i = 0; i < steps; i++) lastLoss = trainer.step().loss();
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        TextWriter writer = Engines.writer(engine.choice(), trainer.model(), 1.0, 0, 1);   // the same engine samples
        for (int i = 0; i < 50; i++) writer.next();
        t0 = System.nanoTime();
        for (int i = 0; i < sample; i++) writer.next();
        double sampleSeconds = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("peer", "rnn-playground (Java " + System.getProperty("java.version") + ", " + trainer.engineDescription() + ")");
        result.put("engine", trainer.engineDescription().split(":")[0]);   // the engine that ran, after any fallback
        result.put("cell", cellType.id());
        result.put("hidden", hidden);
        result.put("layers", layers);
        if (cellType == CellType.GPT) result.put("heads", heads);
        result.put("seq", seq);
        result.put("batch", batch);
        result.put("threads", engine.threadCount());
        result.put("train_chars_per_s", Math.round((double) steps * seq * batch / trainSeconds));
        result.put("sample_chars_per_s", Math.round(sample / sampleSeconds));
        result.put("last_loss", Math.round(lastLoss * 1e4) / 1e4);
        System.out.println(Jackson.toString(result));
        return 0;
    }
}

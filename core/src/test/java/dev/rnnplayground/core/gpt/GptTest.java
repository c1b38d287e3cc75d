package dev.rnnplayground.core.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The GPT as the rest of the project uses it: writing with its cache, training, checkpoints, model files. */
class GptTest {

    private static final Vocab VOCAB = Vocab.of("abcde");

    /** A small GPT with weights far from nanoGPT's tiny start, so attention is far from uniform. */
    private static Gpt model(int blockSize, boolean bias) {
        Gpt model = new Gpt(VOCAB, Architecture.gpt(8, 2, 2, blockSize, bias), true);
        SplitMix64 rng = new SplitMix64(5);
        for (Param p : model.parameters()) p.uniform(rng, 0.8);
        return model;
    }

    /**
     * Writing one symbol at a time through the key/value cache gives the logits a whole forward
     * pass over what the model remembers gives, across the refills at the block's limit: when the
     * block is full the model keeps the last blockSize/2 symbols and reads on from them.
     */
    @ParameterizedTest(name = "block {0}")
    @ValueSource(ints = {6, 5, 1})
    void writingWithTheCacheEqualsAFullForwardOverTheRememberedSymbols(int blockSize) {
        Gpt model = model(blockSize, true);
        LanguageModel.CarriedState cache = model.zeroState(1);
        LanguageModel.Trace scratch = model.newStepTrace();
        SplitMix64 rng = new SplitMix64(9);
        List<Integer> remembered = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            int symbol = (int) (rng.nextDouble() * VOCAB.size());
            double[] written = model.step(symbol, cache, scratch);
            if (remembered.size() == blockSize) remembered = new ArrayList<>(remembered.subList(blockSize - blockSize / 2, blockSize));
            remembered.add(symbol);
            int[][] window = {remembered.stream().mapToInt(Integer::intValue).toArray()};
            LanguageModel.Trace trace = model.newTrace(window[0].length, 1);
            model.forward(window, model.zeroState(1), trace);
            assertArrayEquals(trace.logits(window[0].length - 1, 0), written, 1e-12, "after " + (i + 1) + " symbols");
            assertEquals(remembered.size(), ((KeyValueCache) cache).positions());
        }
    }

    @Test
    void aWindowLongerThanTheBlockIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model(4, false).newTrace(5, 1));
        assertEquals("a window of 5 positions is longer than the block of 4", e.getMessage());
    }

    /** With dropout on (fixed masks), backward is still the exact gradient of the loss forward computes. */
    @Test
    void dropoutsGradientsMatchCentralDifferences() {
        Gpt model = model(5, true);
        int[][] inputs = {{0, 1, 2, 3, 4}, {4, 4, 1, 0, 2}};
        int[][] targets = {{1, 2, 3, 4, 0}, {4, 1, 0, 2, 3}};
        LanguageModel.Trace trace = model.newTrace(5, 2);
        trace.setDropout(0.3, 11, 7);
        model.zeroGradients();
        double loss = model.lossAndGradients(inputs, targets, model.zeroState(2), trace);
        LanguageModel.Trace plain = model.newTrace(5, 2);
        model.forward(inputs, model.zeroState(2), plain);
        assertTrue(Math.abs(model.loss(plain, targets) - loss) > 1e-6, "dropout changes the loss");
        for (Param p : model.parameters()) {
            for (int i = 0; i < p.size(); i += 3) {
                double original = p.w[i];
                p.w[i] = original + 1e-5;
                model.forward(inputs, null, trace);
                double up = model.loss(trace, targets);
                p.w[i] = original - 1e-5;
                model.forward(inputs, null, trace);
                double down = model.loss(trace, targets);
                p.w[i] = original;
                double numeric = (up - down) / 2e-5;
                assertEquals(numeric, p.dw[i], 1e-7 + 1e-6 * Math.abs(numeric), p.name + "[" + i + "]");
            }
        }
    }

    private static final String TEXT = "the cat sat on the mat. ".repeat(20);

    private static TrainConfig config(long steps) {
        return TrainConfig.builder().cell(CellType.GPT).hidden(16).layers(1).heads(2).seqLength(12).batchSize(4)
                .learningRate(1e-2).steps(steps).valFraction(0).seed(4).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
    }

    @Test
    void theTrainerTeachesItARepetitiveText() {
        Trainer trainer = new Trainer(config(150), TEXT, null);
        double first = trainer.step().loss(), last = first;
        while (!trainer.isDone()) last = trainer.step().loss();
        double uniform = Math.log(trainer.model().vocab().size());
        assertEquals(uniform, first, 0.1, "it starts near the uniform guess");
        assertTrue(last < 0.25 * uniform, "loss " + last + " after 150 steps, uniform " + uniform);
        assertEquals(trainer.sample("the ", 40, 0.8), new Trainer(config(150), TEXT, trainer.model()).sample("the ", 40, 0.8),
                "the same seed writes the same text");
    }

    @Test
    void aResumedRunEndsWithTheUninterruptedWeights() {
        Trainer uninterrupted = new Trainer(config(6), TEXT, null);
        while (!uninterrupted.isDone()) uninterrupted.step();
        Trainer first = new Trainer(config(6), TEXT, null);
        for (int i = 0; i < 3; i++) first.step();
        Trainer resumed = Checkpoint.resume(Checkpoint.write(first), TEXT);
        assertEquals(config(6), resumed.config(), "heads and bias travel in the checkpoint");
        while (!resumed.isDone()) resumed.step();
        for (int i = 0; i < uninterrupted.model().parameters().size(); i++) {
            Param expected = uninterrupted.model().parameters().get(i);
            assertArrayEquals(expected.w, resumed.model().parameters().get(i).w, 0.0, expected.name);
        }
    }

    @ParameterizedTest(name = "bias {0}")
    @ValueSource(booleans = {true, false})
    void aModelFileReadsBackTheSameModel(boolean bias) {
        Gpt model = model(7, bias);
        byte[] file = ModelFile.write(model, DType.F64);
        for (LanguageModel read : new LanguageModel[] {ModelFile.readModel(file), ModelFile.readModelForInference(file)}) {
            assertEquals(model.shape(), read.shape());
            assertEquals(7, read.contextLimit());
            for (int i = 0; i < model.parameters().size(); i++) {
                assertEquals(model.parameters().get(i).name, read.parameters().get(i).name);
                assertArrayEquals(model.parameters().get(i).w, read.parameters().get(i).w, 0.0);
            }
        }
        assertEquals(bias ? "True" : "False", ModelFile.metadata(model).get("bias"));
        assertEquals(Arrays.asList("cell", "n_layer", "n_head", "n_embd", "block_size", "bias"), new ArrayList<>(model.shape().keySet()));
    }

    /** nanoGPT's start: N(0, 0.02) weights, c_proj's scaled by 1/sqrt(2L), LayerNorm 1 and 0, biases 0. */
    @Test
    void initialisationFollowsNanoGpt() {
        Gpt model = new Gpt(Vocab.of("abcdefghijklmnopqrstuvwxyz"), Architecture.gpt(64, 2, 4, 32, true), true).initialize(1);
        assertEquals(0.02, std(model.parameter("transformer.wte.weight").w), 0.002);
        assertEquals(0.02, std(model.parameter("transformer.h.1.mlp.c_fc.weight").w), 0.001);
        assertEquals(0.01, std(model.parameter("transformer.h.0.attn.c_proj.weight").w), 0.001);
        assertArrayEquals(new double[64], model.parameter("transformer.h.0.ln_1.bias").w);
        for (double w : model.parameter("transformer.ln_f.weight").w) assertEquals(1.0, w);
    }

    private static double std(double[] values) {
        double sum = 0, squares = 0;
        for (double v : values) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }
}

package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.optim.Optimizer;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model the jar ships, so that a fresh install writes Shakespeare at once. */
public class DefaultModelTest {

    /**
     * The tiny Shakespeare corpus the project ships at data/tinyshakespeare.txt, looked for from the
     * working directory up (Maven runs each module's tests in the module's folder).
     */
    public static Path shakespeare() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("data/tinyshakespeare.txt");
            if (Files.exists(candidate)) return candidate;
        }
        throw new AssertionError("data/tinyshakespeare.txt is missing from the project");
    }

    static byte[] shippedBytes() throws Exception {
        try (InputStream in = DefaultModelTest.class.getResourceAsStream("/models/default.safetensors")) {
            assertNotNull(in, "server/src/main/resources/models/default.safetensors is missing");
            return in.readAllBytes();
        }
    }

    @Test
    void isAnLstmThatLoads() throws Exception {
        byte[] bytes = shippedBytes();
        assertTrue(bytes.length < 8_000_000, "stays under 8 MB for the page: " + bytes.length + " bytes");
        CharRnn model = ModelFile.read(bytes);
        assertEquals(CellType.LSTM, model.cell());
        assertEquals(65, model.vocab().size(), "tiny Shakespeare's 65 symbols");
    }

    /** The held-out last 5% of the text, which training never saw: far better than guessing. */
    @Test
    void predictsHeldOutShakespeareWell() throws Exception {
        Path text = shakespeare();
        int[] ids = ModelFile.read(shippedBytes()).vocab().encode(Files.readString(text)).ids();
        int[] heldOut = Arrays.copyOfRange(ids, ids.length - (int) Math.floor(ids.length * 0.05), ids.length);
        // one stream carried through the whole held-out text, as Evaluator.meanLoss defines it, on the
        // fast engine (float32, checked against the reference to 1e-5 by FastEngineTest): 10x sooner
        CharRnn model = ModelFile.read(shippedBytes());
        TrainingEngine engine = Engines.factory(Engines.Choice.FAST, 1).create(TrainConfig.defaults(), model,
                Optimizer.create(OptimizerType.ADAM, 1e-3), model.zeroState(1));
        double loss = engine.meanLoss(heldOut, 1);
        assertTrue(loss <= 1.50, "validation loss (issue 18 asks for at most 1.50) " + loss + " nats/char; uniform guessing is ln 65 = 4.17");
    }

    @Test
    void writesWordsFromAPrime() throws Exception {
        String text = Sampler.sample(ModelFile.read(shippedBytes()),
                new SampleConfig("ROMEO:", 400, 0.5, 0, 1)).text();
        long words = Arrays.stream(text.split("[^A-Za-z']+"))
                .filter(w -> w.matches("(?i)the|and|to|of|my|i|you|that|is|a|in|not|me|with|be|your|his"))
                .count();
        assertTrue(words >= 10, "common English words appear in: " + text);
    }

    /** A fresh data directory offers the LSTM first, a vanilla RNN and a GRU beside it to compare with, a GPT and the LSTM that attends. */
    @Test
    void aFreshServerOffersTheLstmFirstAndAVanillaRnnAndAGruToCompare(@TempDir Path data) {
        List<ModelInfo> models = Services.open(ServerConfig.defaults(data)).models().list();
        assertEquals(List.of("Tiny Shakespeare (LSTM)", "Tiny Shakespeare (GRU)", "Tiny Shakespeare (vanilla RNN)",
                "Tiny Shakespeare (GPT)", "Tiny Shakespeare (LSTM that attends)"), models.stream().map(ModelInfo::name).toList());
        assertEquals(List.of("lstm", "gru", "rnn", "gpt", "lstm-attention"), models.stream().map(ModelInfo::cell).toList());
        assertTrue(models.get(4).valLoss() < 2.2, "the shipped LSTM that attends learned: " + models.get(4).valLoss());
        assertTrue(models.get(1).valLoss() < 1.8, "the companion GRU learned: " + models.get(1).valLoss());
        assertTrue(models.get(2).valLoss() < 1.9, "the companion RNN learned: " + models.get(2).valLoss());
    }

    /**
     * The shipped GPT: small enough for the page, and its held-out loss (the last 5%, windows of its
     * block, each from its start: nanoGPT's protocol) at most 1.70 nats/char, on the fast engine
     * (checked against the reference to 1e-5 by FastGptEngineTest).
     */
    @Test
    void theShippedGptLoadsAndPredictsHeldOutShakespeare() throws Exception {
        byte[] bytes;
        try (InputStream in = DefaultModelTest.class.getResourceAsStream("/models/gpt.safetensors")) {
            assertNotNull(in, "server/src/main/resources/models/gpt.safetensors is missing");
            bytes = in.readAllBytes();
        }
        assertTrue(bytes.length < 4_000_000, "small enough for the page to load at once: " + bytes.length + " bytes");
        dev.rnnplayground.core.model.LanguageModel gpt = ModelFile.readModel(bytes);
        assertEquals(CellType.GPT, gpt.kind());
        int[] heldOut = dev.rnnplayground.core.train.Evaluator.heldOut(gpt.vocab().encode(Files.readString(shakespeare())).ids(), 0.05);
        TrainingEngine engine = Engines.factory(Engines.Choice.FAST, 1).create(
                TrainConfig.builder().cell(CellType.GPT).seqLength(gpt.contextLimit()).build(), gpt,
                Optimizer.create(OptimizerType.ADAMW, 1e-3), gpt.zeroState(1));
        double loss = engine.meanLoss(heldOut, 1);
        assertTrue(loss <= 1.70, "held-out loss " + loss + " nats/char; uniform guessing is ln 65 = 4.17");
    }
}

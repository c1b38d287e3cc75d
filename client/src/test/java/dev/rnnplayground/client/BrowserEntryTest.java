package dev.rnnplayground.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import org.junit.jupiter.api.Test;

/** The exported API on the JVM; the browser builds must answer the same (checked by the server's browser tests). */
class BrowserEntryTest {

    private static final String TEXT = "hello, world \uD83D\uDE00!";

    private static CharRnn model(CellType cell) {
        return new CharRnn(cell, Vocab.of(TEXT), 8, 2).initialize(42);
    }

    private static int load(CharRnn model) {
        int handle = BrowserEntry.loadModel(ModelFile.write(model, DType.F32));
        assertTrue(handle > 0, BrowserEntry.lastError());
        return handle;
    }

    /** What the page does: feed the prime symbol by symbol, then draw one symbol at a time. */
    private static String write(int model, String prime, int length, double temperature, int topK, long seed) {
        int session = BrowserEntry.startSession(model, temperature, topK, Long.toString(seed));
        assertTrue(session > 0, BrowserEntry.lastError());
        prime.codePoints().forEach(cp -> BrowserEntry.feed(session, new String(Character.toChars(cp))));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) out.append(BrowserEntry.next(session));
        BrowserEntry.endSession(session);
        return out.toString();
    }

    @Test
    void sessionsWriteWhatTheSamplerWrites() {
        for (CellType cell : CellType.RECURRENT) {
            CharRnn jvmModel = ModelFile.read(ModelFile.write(model(cell), DType.F32));
            int handle = load(jvmModel);
            for (double temperature : new double[] {0, 0.7, 1.5}) {
                for (int topK : new int[] {0, 3}) {
                    String prime = "hel\u00e9lo";   // é is unknown: skipped on both sides
                    String expected = Sampler.sample(jvmModel,
                            new SampleConfig(prime, 40, temperature, topK, 1234L)).text();
                    assertEquals(expected, write(handle, prime, 40, temperature, topK, 1234L),
                            cell + " T=" + temperature + " k=" + topK);
                }
            }
        }
    }

    @Test
    void reportsUnknownSymbolsAndStates() {
        int handle = load(model(CellType.LSTM));
        assertEquals("x\u00e9", BrowserEntry.unknownSymbols(handle, "x h\u00e9llo"));
        assertEquals(11, BrowserEntry.vocabSize(handle));
        int session = BrowserEntry.startSession(handle, 1, 0, "7");
        assertFalse(BrowserEntry.feed(session, "x"));
        assertTrue(BrowserEntry.feed(session, "\uD83D\uDE00"));
        assertEquals(16, BrowserEntry.hidden(session).length);
        assertEquals(16, BrowserEntry.cellState(session).length);
        double[] p = BrowserEntry.probabilities(session);
        assertEquals(11, p.length);
        double sum = 0;
        for (double v : p) sum += v;
        assertEquals(1, sum, 1e-9);
        assertTrue(BrowserEntry.modelInfo(handle).contains("\"cell\":\"lstm\""), BrowserEntry.modelInfo(handle));
        assertEquals(2 * 4 * 8, BrowserEntry.gates(session).length, "2 layers of i, f, g, o for 8 units");
        double[] drawn = BrowserEntry.drawDistribution(session, 0.5, 3);
        int nonZero = 0;
        sum = 0;
        for (double v : drawn) {
            if (v > 0) nonZero++;
            sum += v;
        }
        assertEquals(3, nonZero, "top-k 3 keeps three symbols");
        assertEquals(1, sum, 1e-12);
        assertEquals(0, BrowserEntry.drawDistribution(session, -1, 0).length, "a negative temperature draws nothing");
    }

    @Test
    void aGptWritesWhatTheSamplerWritesAndHasNoHiddenState() {
        // block 8 and 30 symbols written: the key/value cache refills on the way, on both sides
        Gpt gpt = new Gpt(Vocab.of(TEXT), Architecture.gpt(8, 2, 2, 8, true), false).initialize(42);
        LanguageModel jvmModel = ModelFile.readModel(ModelFile.write(gpt, DType.F32));
        int handle = BrowserEntry.loadModel(ModelFile.write(gpt, DType.F32));
        assertTrue(handle > 0, BrowserEntry.lastError());
        String expected = Sampler.sample(jvmModel, new SampleConfig("hello", 30, 0.8, 0, 9L)).text();
        assertEquals(expected, write(handle, "hello", 30, 0.8, 0, 9L));
        String info = BrowserEntry.modelInfo(handle);
        assertTrue(info.startsWith("{\"cell\":\"gpt\",\"hiddenSize\":8,\"layers\":2,") && info.contains("\"n_head\":\"2\"")
                && info.contains("\"contextLimit\":8"), info);
        int session = BrowserEntry.startSession(handle, 1, 0, "1");
        BrowserEntry.feed(session, "h");
        assertEquals(0, BrowserEntry.hidden(session).length, "a gpt has no hidden state to show");
        assertEquals(0, BrowserEntry.gates(session).length);
        assertEquals(0, BrowserEntry.cellState(session).length);
    }

    @Test
    void failuresComeBackAsWordsNotExceptions() {
        assertEquals(0, BrowserEntry.loadModel(new byte[] {1, 2, 3}));
        assertFalse(BrowserEntry.lastError().isEmpty());
        int handle = load(model(CellType.GRU));
        assertEquals(0, BrowserEntry.startSession(handle, -1, 0, "1"));
        assertTrue(BrowserEntry.lastError().contains("temperature"), BrowserEntry.lastError());
        assertEquals(0, BrowserEntry.startSession(handle, 1, 0, "abc"));
        assertTrue(BrowserEntry.lastError().contains("seed"), BrowserEntry.lastError());
        assertEquals(0, BrowserEntry.cellState(BrowserEntry.startSession(handle, 1, 0, "1")).length);
    }

    /** The count the race sizes its runs by is that of the model core builds, for every family "Compare runs" trains. */
    @Test
    void parameterCountIsThatOfTheModelCoreBuilds() {
        Vocab vocab = Vocab.of(TEXT);
        for (Architecture a : new Architecture[] {Architecture.of(CellType.RNN, 7, 1), Architecture.of(CellType.LSTM, 5, 2),
                Architecture.of(CellType.GRU, 9, 1), Architecture.gpt(12, 2, 4, 50, false), Architecture.gpt(8, 1, 2, 6, true)}) {
            assertEquals(a.create(vocab, 1).parameterCount(), BrowserEntry.parameterCount(a.kind().id(), a.hidden(), a.layers(),
                    a.heads(), a.blockSize(), a.bias() ? 1 : 0, vocab.size()), a.toString());
        }
        assertEquals(-1, BrowserEntry.parameterCount("transformer", 8, 1, 1, 1, 0, vocab.size()));
        assertTrue(BrowserEntry.lastError().contains("unknown cell type"), BrowserEntry.lastError());
    }
}

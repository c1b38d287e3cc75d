package dev.rnnplayground.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.cli.Rnn.Run;
import dev.rnnplayground.server.common.Jackson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code rnn} with a user's arguments and reads its exit code, stdout and stderr: in this JVM
 * ({@link Rnn#run}), and once in a JVM of its own, as a shell runs it. Every refusal must be one
 * line on stderr, a non-zero exit and no file written.
 */
class CommandLineTest {

    @TempDir
    static Path dir;

    static Path text;
    static Path model;

    @BeforeAll
    static void trainSmallModel() throws Exception {
        text = dir.resolve("abc.txt");
        Files.writeString(text, "the cat sat on the mat. the dog sat on the log. ".repeat(40));
        model = dir.resolve("small.safetensors");
        Run r = rnn("train", "--text", text.toString(), "--cell", "gru", "--hidden", "16", "--seq-length", "16",
                "--batch-size", "4", "--steps", "60", "--lr", "0.01", "--quiet", "--out", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("trained 60 steps"), r.out());
    }

    static Run rnn(String... args) {
        return Rnn.run(args);
    }

    static void assertRefused(Run r, String... fragments) {
        assertNotEquals(0, r.exit(), "expected a refusal, got exit 0; stdout: " + r.out());
        String line = r.errLine();
        assertFalse(line.contains("\n"), "one line on stderr, got:\n" + r.err());
        assertFalse(line.contains("Exception") || line.contains("\tat "), "no stack trace: " + line);
        for (String f : fragments) assertTrue(line.contains(f), "'" + f + "' missing from: " + line);
    }

    /**
     * What only a process shows: in a JVM of its own, a run writes its output and nothing else to
     * stdout (the same text as in-process) and exits 0; a refusal exits non-zero with one line on
     * stderr and nothing on stdout.
     */
    @Test
    void aSeparateJvmExitsWithTheCodeAndPrintsOnlyTheOutput() throws Exception {
        String[] sample = {"sample", "--model", model.toString(), "--prime", "the ", "--length", "40", "--seed", "5"};
        Run own = Rnn.inNewJvm(dir, sample);
        assertEquals(0, own.exit(), own.err());
        assertEquals("", own.err());
        assertEquals(rnn(sample).out(), own.out());
        Run refused = Rnn.inNewJvm(dir, "train", "--text", dir.resolve("nope.txt").toString());
        assertEquals(1, refused.exit(), refused.err());
        assertEquals("", refused.out());
        assertRefused(refused, "nope.txt", "does not exist");
    }

    @Test
    void missingTextFileIsNamed() throws Exception {
        Path out = dir.resolve("never.safetensors");
        assertRefused(rnn("train", "--text", dir.resolve("nope.txt").toString(), "--out", out.toString()),
                "nope.txt", "does not exist");
        assertFalse(Files.exists(out));
    }

    @Test
    void emptyTextIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertRefused(rnn("train", "--text", empty.toString()), "empty");
    }

    @Test
    void nonUtf8TextNamesTheByteOffset() throws Exception {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        assertRefused(rnn("train", "--text", latin1.toString()), "not UTF-8", "byte 3");
    }

    @Test
    void textShorterThanOneWindowIsRefused() throws Exception {
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "hello");
        Path out = dir.resolve("tiny.safetensors");
        assertRefused(rnn("train", "--text", tiny.toString(), "--seq-length", "50", "--out", out.toString()),
                "too short");
        assertFalse(Files.exists(out));
    }

    @Test
    void outOfRangeOptionsNameTheFlag() throws Exception {
        assertRefused(rnn("train", "--text", text.toString(), "--hidden", "0"), "--hidden");
        assertRefused(rnn("train", "--text", text.toString(), "--layers", "9"), "--layers");
        assertRefused(rnn("train", "--text", text.toString(), "--val-fraction", "0.9"), "--val-fraction");
        assertRefused(rnn("train", "--text", text.toString(), "--cell", "transformer"), "transformer");
        assertRefused(rnn("train", "--text", text.toString(), "--hidden", "many"), "--hidden");
        assertRefused(rnn("sample", "--model", model.toString(), "--temperature", "-1"), "--temperature");
    }

    @Test
    void primeWithoutAKnownSymbolIsRefused() throws Exception {
        assertRefused(rnn("sample", "--model", model.toString(), "--prime", "XYZ"), "prime", "XYZ");
        assertRefused(rnn("predict", "--model", model.toString(), "--prime", "ZZZ"), "prime");
    }

    @Test
    void aFileThatIsNotAModelIsRefused() throws Exception {
        assertRefused(rnn("sample", "--model", text.toString()), "abc.txt");
    }

    /** The fast engine's writer on a trained model writes what the reference writes, from the same seed. */
    @Test
    void sampleOnTheFastEngineWritesTheSameTextHere() throws Exception {
        Run reference = rnn("sample", "--model", model.toString(), "--prime", "the ", "--length", "200", "--seed", "3");
        Run fast = rnn("sample", "--model", model.toString(), "--prime", "the ", "--length", "200", "--seed", "3",
                "--engine", "fast");
        assertEquals(0, fast.exit(), fast.err());
        assertEquals(reference.out(), fast.out());
        assertRefused(rnn("sample", "--model", model.toString(), "--engine", "gpu"), "unknown engine", "gpu");
    }

    @Test
    void sampleIsReproducibleBySeed() throws Exception {
        Run a = rnn("sample", "--model", model.toString(), "--prime", "the ", "--length", "80", "--seed", "7");
        Run b = rnn("sample", "--model", model.toString(), "--prime", "the ", "--length", "80", "--seed", "7");
        Run c = rnn("sample", "--model", model.toString(), "--prime", "the ", "--length", "80", "--seed", "8");
        assertEquals(0, a.exit(), a.err());
        assertTrue(a.out().startsWith("the "), a.out());
        assertEquals("the ".length() + 80, a.out().stripTrailing().codePointCount(0, a.out().stripTrailing().length()),
                "prime plus 80 written characters: " + a.out());
        assertEquals(a.out(), b.out());
        assertNotEquals(a.out(), c.out());
    }

    @Test
    void predictPrintsSortedProbabilitiesAsJson() throws Exception {
        Run r = rnn("predict", "--model", model.toString(), "--prime", "the c", "--top", "5");
        assertEquals(0, r.exit(), r.err());
        JsonNode candidates = Jackson.MAPPER.readTree(r.out()).get("candidates");
        assertEquals(5, candidates.size());
        double previous = 1, sum = 0;
        for (JsonNode c : candidates) {
            double p = c.get("probability").asDouble();
            assertTrue(p <= previous, "sorted by probability");
            previous = p;
            sum += p;
        }
        assertTrue(sum <= 1 + 1e-9);
        assertEquals("a", candidates.get(0).get("symbol").asText(), "a trained model knows 'the c' goes on with 'a'");
    }

    @Test
    void evalReportsNatsAndBits() throws Exception {
        Run r = rnn("eval", "--model", model.toString(), "--text", text.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = Jackson.MAPPER.readTree(r.out());
        double nats = json.get("lossNats").asDouble();
        assertEquals(nats / Math.log(2), json.get("bitsPerChar").asDouble(), 1e-9);
        assertTrue(nats < Math.log(Vocab.of(Files.readString(text)).size()),
                "a trained model beats uniform guessing: " + nats);
    }

    /**
     * The comparison recipe: one SGD step of learning rate 1 with clipping off must write
     * M0 minus the gradient of text[0..T-1] -> text[1..T] from a zero state.
     */
    @Test
    void firstStepIsPlainGradientDescentOnTheFirstWindow() throws Exception {
        String corpus = Files.readString(text);
        CharRnn m0 = new CharRnn(CellType.LSTM, Vocab.of(corpus), 8, 2).initialize(3);
        Path m0File = dir.resolve("m0.safetensors");
        Files.write(m0File, ModelFile.write(m0, DType.F64));
        Path m1File = dir.resolve("m1.safetensors");
        Run r = rnn("train", "--engine", "reference", "--text", text.toString(), "--init", m0File.toString(), "--cell", "lstm", "--hidden", "8",
                "--layers", "2", "--seq-length", "10", "--batch-size", "1", "--optimizer", "sgd", "--lr", "1",
                "--clip", "0", "--steps", "1", "--f64", "--quiet", "--out", m1File.toString());
        assertEquals(0, r.exit(), r.err());

        int[] ids = m0.vocab().encode(corpus.substring(0, 11)).ids();
        CharRnn expected = m0.copy();
        expected.zeroGradients();
        expected.lossAndGradients(new int[][] {Arrays.copyOfRange(ids, 0, 10)},
                new int[][] {Arrays.copyOfRange(ids, 1, 11)}, expected.zeroState(1));
        CharRnn m1 = ModelFile.read(Files.readAllBytes(m1File));
        for (Param p : expected.parameters()) {
            double[] want = new double[p.w.length];
            for (int i = 0; i < want.length; i++) want[i] = p.w[i] - p.dw[i];
            assertArrayEquals(want, m1.parameter(p.name).w, 1e-12, p.name);
        }
    }

    @Test
    void initTakesTheShapeFromTheModelFile() throws Exception {
        Path out = dir.resolve("from-init.safetensors");
        Run r = rnn("train", "--text", text.toString(), "--init", model.toString(), "--seq-length", "16",
                "--steps", "3", "--quiet", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        CharRnn trained = ModelFile.read(Files.readAllBytes(out));
        assertEquals(CellType.GRU, trained.cell());
        assertEquals(16, trained.hiddenSize());
        assertEquals(1, trained.numLayers());

        // repeating the model's shape is fine; contradicting it is one line naming both
        assertEquals(0, rnn("train", "--text", text.toString(), "--init", model.toString(), "--cell", "gru",
                "--hidden", "16", "--layers", "1", "--seq-length", "16", "--steps", "1", "--quiet", "--out", out.toString()).exit());
        Path never = dir.resolve("never-init.safetensors");
        assertRefused(rnn("train", "--text", text.toString(), "--init", model.toString(), "--hidden", "32",
                "--out", never.toString()), "--hidden 32", "16 hidden units", "small.safetensors");
        assertRefused(rnn("train", "--text", text.toString(), "--init", model.toString(), "--cell", "lstm",
                "--out", never.toString()), "--cell lstm", "gru");
        assertRefused(rnn("train", "--text", text.toString(), "--init", model.toString(), "--layers", "2",
                "--out", never.toString()), "--layers 2", "1-layer");
        assertFalse(Files.exists(never));
    }

    @Test
    void dropoutIsCheckedAndRecordedInTheModel() throws Exception {
        assertRefused(rnn("train", "--text", text.toString(), "--dropout", "0.95"), "--dropout: must be 0 to 0.9, got 0.95");
        Path out = dir.resolve("dropout.safetensors");
        Run r = rnn("train", "--text", text.toString(), "--cell", "lstm", "--hidden", "8", "--layers", "2",
                "--seq-length", "16", "--steps", "2", "--dropout", "0.3", "--quiet", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        java.util.Map<String, String> meta = dev.rnnplayground.core.io.SafeTensors.read(Files.readAllBytes(out)).metadata();
        assertEquals("0.3", meta.get("dropout"));
        assertTrue(meta.get("description").endsWith(", dropout 0.3"), meta.get("description"));
    }

    @Test
    void helpShowsTheOneListOfDefaults() throws Exception {
        Run r = rnn("train", "--help");
        assertEquals(0, r.exit(), r.err());
        dev.rnnplayground.core.train.TrainConfig d = dev.rnnplayground.core.train.TrainConfig.defaults();
        String[][] shown = {{"--hidden", "" + d.hidden()}, {"--layers", "" + d.layers()}, {"--seq-length", "" + d.seqLength()},
                {"--batch-size", "" + d.batchSize()}, {"--steps", "" + d.steps()}, {"--eval-every", "" + d.evalEvery()},
                {"--sample-every", "" + d.sampleEvery()}, {"--checkpoint-every", "" + d.checkpointEvery()},
                {"--cell", d.cell().id()}, {"--optimizer", d.optimizer().id()}, {"--seed", "" + d.seed()}};
        // one block per option: its line and the indented lines that continue its description
        String[] blocks = r.out().split("\\n(?=\\s{2,6}-)");
        for (String[] option : shown) {
            String block = Arrays.stream(blocks).map(String::strip).filter(b -> b.startsWith(option[0] + "="))
                    .findFirst().orElseThrow(() -> new AssertionError(option[0] + " missing from:\n" + r.out()))
                    .replaceAll("\\s+", " ");
            assertTrue(block.contains("(default: " + option[1]), option[0] + " should show default " + option[1] + ": " + block);
        }
    }

    @Test
    void aDivergingRunIsOneLine() throws Exception {
        Path out = dir.resolve("diverged.safetensors");
        assertRefused(rnn("train", "--text", text.toString(), "--hidden", "64", "--optimizer", "sgd", "--lr", "10",
                "--clip", "0", "--steps", "2000", "--quiet", "--out", out.toString()), "diverged");
        assertFalse(Files.exists(out));
    }

    @Test
    void benchChecksItsEngineAndThreads() throws Exception {
        Run r = rnn("bench", "--text", text.toString(), "--hidden", "8", "--seq", "8", "--steps", "2", "--sample", "10",
                "--engine", "reference", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = Jackson.MAPPER.readTree(r.out());
        assertEquals("reference", json.get("engine").asText());
        assertEquals(1, json.get("threads").asInt());
        assertTrue(json.get("train_chars_per_s").asLong() > 0);
        assertRefused(rnn("bench", "--text", text.toString(), "--engine", "turbo"), "turbo", "fast or reference");
        assertRefused(rnn("bench", "--text", text.toString(), "--threads", "0"), "--threads", "at least 1");
        assertRefused(rnn("bench", "--text", text.toString(), "--engine", "reference", "--threads", "2"), "one thread");
    }

    @Test
    void gradcheckPassesAndSaysSo() throws Exception {
        Run r = rnn("gradcheck", "--cell", "lstm", "--layers", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("gradient check passed"), r.out());
        assertFalse(r.out().contains("WRONG"));
    }

    @Test
    void serveRefusesAJobDatabaseItCannotUse() {
        String data = dir.resolve("serve-data").toString();
        assertRefused(rnn("serve", "--no-token", "--port", "0", "--data", data, "--database", "mysql://rnn@127.0.0.1/rnn"),
                "rnn serve: cannot open the job database", "expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE");
        // nothing listens on port 1; the pool's own log lines may come before ours
        Run unreachable = rnn("serve", "--no-token", "--port", "0", "--data", data, "--database", "postgresql://rnn:secret@127.0.0.1:1/rnn");
        assertEquals(1, unreachable.exit(), unreachable.err());
        assertTrue(unreachable.err().contains("rnn serve: cannot open the job database postgresql://rnn:***@127.0.0.1:1/rnn: "),
                unreachable.err());
        assertFalse(unreachable.err().contains("secret"), "the password is not shown");
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : List.of("train", "sample", "predict", "eval", "gradcheck", "bench", "serve", "worker")) {
            Run r = rnn(command, "--help");
            assertEquals(0, r.exit(), command);
            assertTrue(r.out().contains("Usage: rnn " + command), r.out());
        }
    }
}

package dev.rnnplayground.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.cli.Rnn.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiment commands, run in-process: gradcheck --truncate, reach. */
class ExperimentCommandsTest {

    static Run rnn(String... args) {
        return Rnn.run(args);
    }

    @Test
    void gradcheckCutShortFailsAndWithTheWholeWindowPasses() {
        Run cut = rnn("gradcheck", "--cell", "rnn", "--layers", "1", "--truncate", "1");
        assertEquals(1, cut.exit());
        assertTrue(cut.out().contains("analytic gradient: BPTT cut 1 step(s) back in a window of 5"), cut.out());
        assertTrue(cut.out().contains("rnn.weight_hh_l0") && cut.out().contains("WRONG"), cut.out());
        assertTrue(cut.out().contains("gradient check FAILED"), cut.out());
        Run whole = rnn("gradcheck", "--cell", "gru", "--layers", "1", "--truncate", "5");
        assertEquals(0, whole.exit(), whole.out());
        Run bad = rnn("gradcheck", "--truncate", "-2");
        assertEquals(1, bad.exit());
        assertEquals("rnn gradcheck: --truncate must be 0 (off) or more steps, got -2", bad.err().strip());
    }

    @Test
    void reachPrintsTheBandsAndRefusesAShortText(@TempDir Path dir) throws Exception {
        String text = "the cat sat on the mat. the dog sat on the log. ".repeat(10);
        Path textFile = Files.writeString(dir.resolve("t.txt"), text);
        Path model = Files.write(dir.resolve("m.safetensors"),
                ModelFile.write(new CharRnn(CellType.LSTM, Vocab.of(text), 8, 2).initialize(3), DType.F32));
        Run r = rnn("reach", "--model", model.toString(), "--text", textFile.toString(), "--positions", "20", "--lags", "30");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("2-layer lstm with 8 hidden units: 20 positions, each from a blank state 56 symbols back"),
                r.out());
        assertTrue(r.out().contains("\ninput x     k=0 1.00 "), r.out());
        assertTrue(r.out().contains("layer 2 c   k=0 "), r.out());
        assertTrue(r.out().contains("layer 1 ||dh_t/dh_{t-1}||: median "), r.out());
        Run json = rnn("reach", "--model", model.toString(), "--text", textFile.toString(), "--positions", "3", "--lags", "5", "--json");
        assertTrue(json.out().contains("\"windowStarts\":[0,"), json.out());
        Run refused = rnn("reach", "--model", model.toString(), "--text", textFile.toString(), "--held-out", "0.05");
        assertEquals(1, refused.exit());
        assertEquals("rnn reach: the text needs at least 127 symbols the model knows to look 100 steps back, found 24",
                refused.err().strip());
        // a gpt: the input path only, and nothing from its block on
        Path gpt = Files.write(dir.resolve("g.safetensors"), ModelFile.write(new dev.rnnplayground.core.gpt.Gpt(Vocab.of(text),
                dev.rnnplayground.core.model.Architecture.gpt(8, 1, 2, 16, true), false).initialize(3), DType.F32));
        Run g = rnn("reach", "--model", gpt.toString(), "--text", textFile.toString(), "--positions", "5", "--lags", "30");
        assertEquals(0, g.exit(), g.err());
        assertTrue(g.out().contains("input x: 0 from k = 16 on by construction: the model reads a block of 16 positions"), g.out());
        assertTrue(!g.out().contains("layer 1 h"), g.out());
    }

    @Test
    void experimentTextIsTheSameForASeedAndMemorySpanPrintsItsTable() {
        Run a = rnn("experiment", "text", "recall", "--size", "3", "--examples", "4", "--seed", "5");
        assertEquals(0, a.exit(), a.err());
        assertEquals(dev.rnnplayground.core.lab.SyntheticTexts.recall(3, 4, 5).text(), a.out());
        Run bad = rnn("experiment", "text", "copy");
        assertEquals(1, bad.exit());
        assertEquals("rnn experiment text: task must be recall, brackets or reber, got \"copy\"", bad.err().strip());
        Run span = rnn("experiment", "memory-span", "--cells", "rnn,gpt", "--gaps", "2,12", "--hidden", "8", "--steps", "20",
                "--batch-size", "4", "--seeds", "2", "--block", "8", "--gpt-layers", "1", "--engine", "reference");
        assertEquals(0, span.exit(), span.err());
        String[] lines = span.out().split("\n");
        assertTrue(lines[0].startsWith("recall accuracy on 500 unseen examples (chance 0.25): mean and min-max over 2 seeds"), lines[0]);
        assertTrue(lines[1].matches("model\\s+parameters\\s+seconds\\s+N=2\\s+N=12"), lines[1]);
        assertTrue(lines[2].matches("rnn\\s+233\\s+\\d+\\.\\d( [01]\\.\\d{3} [01]\\.\\d{3}-[01]\\.\\d{3}){2}"), lines[2]);
        assertTrue(lines[3].matches("gpt\\s+[\\d,]+\\s+\\d+\\.\\d( [01]\\.\\d{3} [01]\\.\\d{3}-[01]\\.\\d{3}){2}"), lines[3]);
        assertTrue(lines[5].matches("gpt: recalls \\(mean >= 0\\.9\\) up to gap (none|2|12); at chance \\(mean <= 0\\.31\\) from gap (none|2|12)"),
                lines[5]);
        Run wrongCell = rnn("experiment", "memory-span", "--cells", "bigram");
        assertEquals(1, wrongCell.exit());
        assertEquals("rnn experiment memory-span: --cells: each must be rnn, lstm, gru, lstm-attention or gpt, got bigram",
                wrongCell.err().strip());
    }
}

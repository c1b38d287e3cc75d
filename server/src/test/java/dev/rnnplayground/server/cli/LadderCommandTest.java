package dev.rnnplayground.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.lab.Ladder;
import dev.rnnplayground.core.lab.LadderRung;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.cli.Rnn.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn experiment ladder}: a row per rung with core's numbers beside the lecture's, and its refusals. */
class LadderCommandTest {

    @Test
    void printsARowPerRungWithCoresNumbers(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("verse.txt"), TestTexts.VERSE);
        Run r = Rnn.run("experiment", "ladder", "--text", text.toString(), "--rungs", "mlp,bigram", "--steps", "6",
                "--batch-size", "4", "--eval-symbols", "300", "--seed", "2");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.out());
        assertTrue(lines[0].startsWith("the ladder on verse.txt (" + String.format(Locale.ROOT, "%,d", TestTexts.VERSE.length())
                + " symbols, "), lines[0]);
        assertEquals("rung                     parameters   train     val  lecture val  seconds", lines[1]);
        // lowest first, each row the numbers core's ladder gives for that budget
        Ladder.Budget budget = new Ladder.Budget(4, 0.001, 0.01, 6, 0.1, 300, 2);
        for (int i = 0; i < 2; i++) {
            LadderRung rung = i == 0 ? LadderRung.BIGRAM : LadderRung.MLP;
            Ladder.Outcome o = Ladder.run(rung, TestTexts.VERSE, budget, Deadline.NONE);
            String expected = String.format(Locale.ROOT, "%-24s %,10d %7.4f %7.4f %12.2f", rung.label(), o.parameters(),
                    o.trainLoss(), o.valLoss(), rung.lectureValLoss());
            assertTrue(lines[2 + i].startsWith(expected), lines[2 + i] + "\nexpected " + expected);
        }
        Run bad = Rnn.run("experiment", "ladder", "--text", text.toString(), "--rungs", "two-heads");
        assertEquals(1, bad.exit());
        assertEquals("rnn experiment ladder: unknown rung \"two-heads\": expected bigram, one-head, four-heads, mlp, residual"
                + " or layernorm", bad.err().strip());
    }
}

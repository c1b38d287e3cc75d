package dev.rnnplayground.server.cli;

import static dev.rnnplayground.server.cli.CommandLineTest.assertRefused;
import static dev.rnnplayground.server.cli.CommandLineTest.rnn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.cli.Rnn.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cell lstm-attention} on the command line: it trains (on the reference engine, which the
 * fast one hands it to), its file writes text, {@code --attend} belongs to its shape, and its
 * gradients pass the check.
 */
class AttentiveLstmCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void trainsWritesAndKeepsItsLookBack() throws Exception {
        Path text = dir.resolve("abc.txt");
        Files.writeString(text, "the cat sat on the mat. the dog sat on the log. ".repeat(40));
        Path model = dir.resolve("attentive.safetensors");
        Run trained = rnn("train", "--text", text.toString(), "--cell", "lstm-attention", "--attend", "3", "--hidden", "12",
                "--seq-length", "16", "--batch-size", "4", "--steps", "20", "--sample-every", "0", "--out", model.toString());
        assertEquals(0, trained.exit(), trained.err());
        String said = trained.out() + trained.err();   // the progress lines go to stderr
        assertTrue(said.contains("lstm-attention with 12 hidden units, attending over its last 3 states"), said);
        assertTrue(said.contains("engine: reference"), said);

        String[] sample = {"sample", "--model", model.toString(), "--prime", "the ", "--length", "30", "--seed", "5"};
        Run first = rnn(sample);
        assertEquals(0, first.exit(), first.err());
        assertEquals(first.out(), rnn(sample).out(), "the same seed writes the same text");

        assertRefused(rnn("train", "--text", text.toString(), "--init", model.toString(), "--attend", "4", "--steps", "1"),
                "--attend 4 contradicts --init");
    }

    @Test
    void gradcheckPasses() {
        Run r = rnn("gradcheck", "--cell", "lstm-attention");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("attn.key.weight"), r.out());
        assertTrue(r.out().contains("gradient check passed"), r.out());
        assertFalse(r.out().contains("WRONG"));
    }
}

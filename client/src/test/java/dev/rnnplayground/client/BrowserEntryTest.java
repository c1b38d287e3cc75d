package dev.rnnplayground.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The exported API on the JVM; the browser builds must answer the same. */
class BrowserEntryTest {

    private static final String TEXT = "hello, world \uD83D\uDE00!";

    @Test
    void vocabularyCountsCodePoints() {
        // h e l o , space w r d 😀 !  — the emoji is one symbol, not two UTF-16 halves
        assertEquals(11, BrowserEntry.vocabSize(TEXT));
    }

    @Test
    void logitsCoverTheVocabularyAndDependOnlyOnTheSeed() {
        for (String cell : new String[] {"rnn", "lstm", "gru"}) {
            double[] logits = BrowserEntry.nextLogits(TEXT, cell, 8, 2, 42);
            assertEquals(11, logits.length, cell);
            assertArrayEquals(logits, BrowserEntry.nextLogits(TEXT, cell, 8, 2, 42), cell);
        }
    }

    @Test
    void samplesASymbolOfTheText() {
        String next = BrowserEntry.sampleNext(TEXT, "lstm", 16, 1, 7, 1.0);
        assertTrue(TEXT.contains(next), next);
        assertEquals(next, BrowserEntry.sampleNext(TEXT, "lstm", 16, 1, 7, 1.0));
    }
}

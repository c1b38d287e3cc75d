package dev.rnnplayground.core.gpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the page's attention view shows of a GPT: the weights every layer and head gave the
 * positions in the key/value cache while the writer read its last character, and the causal matrix
 * of one head over a text. Both are checked against training's forward pass ({@link GptTrace#probs}),
 * a second path through the same kernel: the cache reads one position at a time, the forward a
 * whole window.
 */
class GptAttentionTest {

    private static final Vocab VOCAB = Vocab.of("abcde");
    private static final int LAYERS = 2, HEADS = 2;

    /** Weights far from nanoGPT's tiny start, so no head looks evenly everywhere. */
    private static Gpt model(int blockSize) {
        Gpt model = new Gpt(VOCAB, Architecture.gpt(8, LAYERS, HEADS, blockSize, true), false);
        SplitMix64 rng = new SplitMix64(5);
        for (Param p : model.parameters()) p.uniform(rng, 0.8);
        return model;
    }

    /** Training's forward over the symbols from position 0, as the cache read what it holds. */
    private static GptTrace forward(Gpt model, List<Integer> symbols) {
        int[] window = symbols.stream().mapToInt(Integer::intValue).toArray();
        GptTrace trace = model.newTrace(window.length, 1);
        model.forward(new int[][] {window}, model.zeroState(1), trace);
        return trace;
    }

    /**
     * After every character the writer reads (the prime, then what it draws, past two refills of a
     * block of 6), every head's kept weights equal a fresh forward pass's last row over the
     * characters the cache holds; the view's caveat: after a refill that is only the last few.
     */
    @Test
    void theWriterKeepsEveryHeadsWeightsOfTheLastCharacter() {
        int block = 6;
        Gpt model = model(block);
        Generator writer = new Generator(model, 1.0, 0, 9);
        assertNull(writer.attention(), "nothing read yet");
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int symbol;
            if (i < 3) {
                symbol = i;
                writer.feed(symbol);
            } else {
                symbol = writer.next();
            }
            if (held.size() == block) held = new ArrayList<>(held.subList(block - block / 2, block));
            held.add(symbol);
            AttentionWeights kept = writer.attention();
            assertEquals(held.size(), kept.positions(), "after " + (i + 1) + " characters");
            assertEquals(0, kept.newestBack());
            assertEquals(held.size() - 1, kept.back(0), "the oldest position held");
            GptTrace fresh = forward(model, held);
            for (int l = 0; l < LAYERS; l++) {
                for (int h = 0; h < HEADS; h++) {
                    double[] expected = Arrays.copyOf(fresh.attention(l, 0, h, held.size() - 1), held.size());
                    assertArrayEquals(expected, kept.head(l, h), 1e-12, "layer " + l + " head " + h + " after " + (i + 1));
                    assertEquals(1, Arrays.stream(kept.head(l, h)).sum(), 1e-12);
                }
            }
        }
    }

    /** Row i, column j of the matrix is what the forward's row first+i gives column first+j; nothing above the diagonal. */
    @Test
    void theMatrixIsTheForwardsCausalWeightsOverTheLastCharacters() {
        Gpt model = model(8);
        List<Integer> text = List.of(0, 3, 1, 4, 4, 2, 0);
        GptTrace trace = forward(model, text);
        int window = 4, first = text.size() - window;
        int[] symbols = text.stream().mapToInt(Integer::intValue).toArray();
        boolean differs = false;
        for (int l = 0; l < LAYERS; l++) {
            for (int h = 0; h < HEADS; h++) {
                double[] matrix = model.attentionMatrix(symbols, l, h, window);
                assertEquals(window * window, matrix.length);
                for (int i = 0; i < window; i++) {
                    double[] row = trace.attention(l, 0, h, first + i);
                    for (int j = 0; j < window; j++) {
                        assertEquals(j <= i ? row[first + j] : 0, matrix[i * window + j], 0.0, "layer " + l + " head " + h + " (" + i + ", " + j + ")");
                    }
                }
                differs |= matrix[window * window - 1] != matrix[window * window - 2];
            }
        }
        assertTrue(differs, "the heads look unevenly: a matrix that could not tell a wrong index");
        // a window wider than the text is the whole causal matrix
        assertEquals(symbols.length * symbols.length, model.attentionMatrix(symbols, 0, 0, 100).length);
    }

    /** The writer's last weights and the matrix's last row agree: the page's two pictures of one thing. */
    @Test
    void theMatrixsLastRowIsTheWritersLastAttention() {
        Gpt model = model(8);
        Generator writer = new Generator(model, 1.0, 0, 4);
        int[] text = new int[7];
        text[0] = 2;
        writer.feed(text[0]);
        for (int i = 1; i < text.length; i++) text[i] = writer.next();
        AttentionWeights kept = writer.attention();
        for (int l = 0; l < LAYERS; l++) {
            for (int h = 0; h < HEADS; h++) {
                double[] matrix = model.attentionMatrix(text, l, h, text.length);
                double[] lastRow = Arrays.copyOfRange(matrix, (text.length - 1) * text.length, text.length * text.length);
                assertArrayEquals(kept.head(l, h), lastRow, 1e-12);
            }
        }
    }

    @Test
    void aMatrixItCannotComputeIsRefusedSayingWhy() {
        Gpt model = model(4);
        assertEquals("a gpt reads at most its block of 4 symbols, got 5",
                assertThrows(IllegalArgumentException.class, () -> model.attentionMatrix(new int[5], 0, 0, 4)).getMessage());
        assertEquals("no attention head 2 in layer 0: the model has 2 layer(s) of 2 head(s), counted from 0",
                assertThrows(IllegalArgumentException.class, () -> model.attentionMatrix(new int[3], 0, 2, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.attentionMatrix(new int[0], 0, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> model.attentionMatrix(new int[3], 0, 0, 0));
    }
}

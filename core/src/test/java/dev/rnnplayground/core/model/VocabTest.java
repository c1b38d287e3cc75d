package dev.rnnplayground.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabTest {

    private static final String GRIN = "\uD83D\uDE00";   // U+1F600, one symbol, two UTF-16 chars
    private static final String FULLWIDTH_BANG = "\uFF01";  // U+FF01, above the surrogate range

    @Test
    void symbolsAreTheDistinctCodePointsSorted() {
        Vocab vocab = Vocab.of("banana");
        assertEquals(List.of("a", "b", "n"), vocab.symbols());
        assertEquals(3, vocab.size());
        assertEquals('a', vocab.codePoint(0));
    }

    @Test
    void anEmojiIsOneSymbol() {
        Vocab vocab = Vocab.of("a" + GRIN + "a" + GRIN);
        assertEquals(List.of("a", GRIN), vocab.symbols());
        assertEquals(GRIN, vocab.symbol(1));
        assertEquals(1, vocab.indexOf(0x1F600));
        assertArrayEquals(new int[] {1, 0}, vocab.encode(GRIN + "a").ids());
    }

    @Test
    void orderIsByCodePointNotByUtf16Char() {
        // as UTF-16 chars the emoji's high surrogate (0xD83D) sorts before U+FF01; as code points it is after
        Vocab vocab = Vocab.of(GRIN + FULLWIDTH_BANG + "z");
        assertEquals(List.of("z", FULLWIDTH_BANG, GRIN), vocab.symbols());
    }

    @Test
    void encodingSkipsUnknownSymbolsAndSaysWhich() {
        Vocab vocab = Vocab.of("hello");
        Vocab.Encoded encoded = vocab.encode("hex, hello" + GRIN + "x");
        assertEquals("hehello", vocab.decode(encoded.ids()));
        assertEquals(List.of(" ", ",", "x", GRIN), encoded.skippedSymbols(), "distinct, sorted by code point");
        assertEquals(5, encoded.skippedCount(), "x twice, comma, space, emoji");
    }

    @Test
    void encodingAKnownTextSkipsNothing() {
        Vocab.Encoded encoded = Vocab.of("hello").encode("hole");
        assertEquals(List.of(), encoded.skippedSymbols());
        assertEquals(0, encoded.skippedCount());
    }

    @Test
    void decodeUndoesEncode() {
        String text = "Grüße, " + GRIN + "!\n\tend";
        Vocab vocab = Vocab.of(text);
        assertEquals(text, vocab.decode(vocab.encode(text).ids()));
    }

    @Test
    void symbolsRoundTripThroughAModelFileList() {
        Vocab vocab = Vocab.of("b" + GRIN + "a");
        Vocab again = Vocab.ofSymbols(vocab.symbols());
        assertEquals(vocab.symbols(), again.symbols());
    }

    @Test
    void aStoredListMustBeSortedSingleSymbols() {
        IllegalArgumentException notSorted = assertThrows(IllegalArgumentException.class,
                () -> Vocab.ofSymbols(List.of("b", "a")));
        assertTrue(notSorted.getMessage().contains("sorted"), notSorted.getMessage());
        IllegalArgumentException twoSymbols = assertThrows(IllegalArgumentException.class,
                () -> Vocab.ofSymbols(List.of("ab")));
        assertTrue(twoSymbols.getMessage().contains("entry 0"), twoSymbols.getMessage());
    }
}

package dev.rnnplayground.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * The alphabet of a character-level model: the sorted set of distinct Unicode code points of a
 * training text. Index i of the vocabulary is input unit i of the network and output logit i.
 *
 * <p>Code points, not UTF-16 chars: an emoji such as U+1F600 is one symbol, not two surrogate halves.
 */
public final class Vocab {

    private final int[] codePoints;   // (V) sorted ascending, distinct

    private Vocab(int[] sortedDistinctCodePoints) {
        this.codePoints = sortedDistinctCodePoints;
    }

    /** The vocabulary of a text: every distinct code point it contains, sorted. */
    public static Vocab of(String text) {
        int[] all = text.codePoints().toArray();
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) all[distinct++] = all[i];
        }
        return new Vocab(Arrays.copyOf(all, distinct));
    }

    /** A vocabulary from one-symbol strings in index order (as stored in a model file). */
    public static Vocab ofSymbols(List<String> symbols) {
        int[] cps = new int[symbols.size()];
        for (int i = 0; i < cps.length; i++) {
            String s = symbols.get(i);
            if (s == null || s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw new IllegalArgumentException("vocabulary entry " + i + " is not exactly one symbol: " + quote(s));
            }
            cps[i] = s.codePointAt(0);
            if (i > 0 && cps[i] <= cps[i - 1]) {
                throw new IllegalArgumentException("vocabulary is not sorted and distinct at entry " + i);
            }
        }
        return new Vocab(cps);
    }

    public int size() {
        return codePoints.length;
    }

    public int codePoint(int index) {
        return codePoints[index];
    }

    /** The symbol at an index, as a (one- or two-char) string. */
    public String symbol(int index) {
        return new String(Character.toChars(codePoints[index]));
    }

    /** The symbols in index order. */
    public List<String> symbols() {
        List<String> out = new ArrayList<>(codePoints.length);
        for (int i = 0; i < codePoints.length; i++) out.add(symbol(i));
        return Collections.unmodifiableList(out);
    }

    /** Index of a code point, or -1 when it is not in the vocabulary. */
    public int indexOf(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    public boolean contains(int codePoint) {
        return indexOf(codePoint) >= 0;
    }

    /**
     * Encodes a text to indices. Symbols outside the vocabulary are skipped, never fatal; the
     * result says which distinct symbols were skipped and how many times in all.
     */
    public Encoded encode(String text) {
        int[] ids = new int[text.codePointCount(0, text.length())];
        int n = 0;
        int skippedCount = 0;
        TreeSet<Integer> skipped = new TreeSet<>();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int id = indexOf(cp);
            if (id >= 0) {
                ids[n++] = id;
            } else {
                skipped.add(cp);
                skippedCount++;
            }
        }
        List<String> skippedSymbols = new ArrayList<>();
        for (int cp : skipped) skippedSymbols.add(new String(Character.toChars(cp)));
        return new Encoded(Arrays.copyOf(ids, n), skippedSymbols, skippedCount);
    }

    /** Decodes indices back to text. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) sb.appendCodePoint(codePoints[id]);
        return sb.toString();
    }

    /**
     * A text as vocabulary indices.
     *
     * @param ids            the known symbols, in order
     * @param skippedSymbols the distinct unknown symbols, sorted
     * @param skippedCount   how many symbols of the text were skipped in all
     */
    public record Encoded(int[] ids, List<String> skippedSymbols, int skippedCount) {
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}

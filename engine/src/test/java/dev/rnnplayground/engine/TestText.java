package dev.rnnplayground.engine;

import dev.rnnplayground.core.util.SplitMix64;

/** A deterministic English-like text of words, punctuation and newlines, for engine tests. */
final class TestText {
    private static final String[] WORDS = {"the", "king", "shall", "not", "speak", "of", "love", "and",
        "war", "to", "thee", "my", "lord", "what", "is", "a", "name", "night", "day", "sweet"};

    private TestText() {
    }

    static String make(int length, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            String w = WORDS[(int) (rng.nextDouble() * WORDS.length)];
            if (rng.nextDouble() < 0.1) w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            sb.append(w);
            double r = rng.nextDouble();
            sb.append(r < 0.08 ? ",\n" : r < 0.15 ? ". " : " ");
        }
        return sb.substring(0, length);
    }
}

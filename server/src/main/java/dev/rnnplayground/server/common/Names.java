package dev.rnnplayground.server.common;

/**
 * The one rule for the names people give corpora, jobs and models: control characters and line
 * or paragraph separators become spaces (a name with a newline could forge a line of the log),
 * spaces at the ends go, an empty name takes the fallback, and a long one is cut at 120 symbols.
 */
public final class Names {
    public static final int MAX_LENGTH = 120;

    private Names() {
    }

    public static String clean(String name, String fallback) {
        String n = name == null ? "" : name.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", " ").strip();
        if (n.isEmpty()) n = fallback;
        if (n.codePointCount(0, n.length()) > MAX_LENGTH) n = n.substring(0, n.offsetByCodePoints(0, MAX_LENGTH));
        return n;
    }
}

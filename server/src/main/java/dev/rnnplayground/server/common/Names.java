package dev.rnnplayground.server.common;

/**
 * The one rule for the names people give corpora, jobs and models: control characters and line
 * or paragraph separators become spaces (a name with a newline could forge a line of the log),
 * spaces at the ends go, an empty name takes the fallback, and a long one is cut at 120 symbols.
 */
public final class Names {
    public static final int MAX_LENGTH = 120;
    /** A model's description (from its file, or a job's notes) is cut here: it is listed with every model. */
    public static final int MAX_DESCRIPTION_LENGTH = 10_000;

    private Names() {
    }

    public static String clean(String name, String fallback) {
        String n = name == null ? "" : name.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", " ").strip();
        if (n.isEmpty()) n = fallback;
        return cut(n, MAX_LENGTH);
    }

    /** A description as stored: null stays null, a long one is cut at {@value #MAX_DESCRIPTION_LENGTH} symbols. */
    public static String description(String text) {
        return text == null ? null : cut(text, MAX_DESCRIPTION_LENGTH);
    }

    private static String cut(String text, int symbols) {
        return text.codePointCount(0, text.length()) > symbols ? text.substring(0, text.offsetByCodePoints(0, symbols)) : text;
    }
}

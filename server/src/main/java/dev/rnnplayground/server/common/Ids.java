package dev.rnnplayground.server.common;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Server-made identifiers: a one-letter kind, an underscore and 12 lowercase hex digits, e.g.
 * {@code c_3f9a01b2c4d5}. Ids double as directory names in the data folder, so anything that does
 * not match the format exactly is treated as "not found" and never reaches the file system.
 */
public final class Ids {

    /** The kinds of things that carry an id. */
    public enum Kind {
        CORPUS("c", "corpus"),
        JOB("j", "job"),
        MODEL("m", "model");

        private final String prefix;
        private final String noun;
        private final Pattern pattern;

        Kind(String prefix, String noun) {
            this.prefix = prefix;
            this.noun = noun;
            this.pattern = Pattern.compile(prefix + "_[0-9a-f]{12}");
        }

        public String noun() {
            return noun;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(Kind kind) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return kind.prefix + "_" + HexFormat.of().formatHex(bytes);
    }

    public static boolean isValid(Kind kind, String id) {
        return id != null && kind.pattern.matcher(id).matches();
    }

    /** Returns the id when well-formed; otherwise throws the same "not found" a missing one would. */
    public static String require(Kind kind, String id) {
        if (!isValid(kind, id)) {
            throw ServiceException.notFound(kind.noun, id == null ? "" : abbreviate(id));
        }
        return id;
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }
}

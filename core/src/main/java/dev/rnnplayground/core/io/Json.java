package dev.rnnplayground.core.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer for file headers and metadata, with no
 * dependencies so that it runs under TeaVM.
 *
 * <p>Values map to Java as follows: object to {@code LinkedHashMap<String, Object>} (keys in file
 * order), array to {@code List<Object>}, string to {@code String}, a number written without
 * fraction or exponent to {@code Long} (to {@code Double} if it does not fit a long), any other
 * number to {@code Double}, {@code true}/{@code false} to {@code Boolean}, {@code null} to null.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no leading zeros, no raw
 * control characters or unpaired surrogates in strings, no duplicate keys in an object (the
 * safetensors spec forbids duplicate tensor names), no text after the value, and at most
 * {@value #MAX_DEPTH} levels of nesting so that a hostile header cannot overflow the stack.
 */
public final class Json {

    /** Deepest nesting of arrays and objects accepted; a model header needs 3. */
    public static final int MAX_DEPTH = 128;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that makes up the whole text (surrounding whitespace allowed).
     *
     * @throws ModelFormatException naming the problem and its character offset, e.g.
     *                              {@code "expected ':' after an object key at character 12"}
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.readValue();
        p.skipWhitespace();
        if (p.pos < text.length()) throw p.error("unexpected " + p.describe(p.pos) + " after the JSON value");
        return value;
    }

    // ---------------------------------------------------------------- reading

    private Object readValue() {
        if (pos >= text.length()) throw error("unexpected end of text, expected a value");
        char ch = text.charAt(pos);
        switch (ch) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                return readLiteral("true", Boolean.TRUE);
            case 'f':
                return readLiteral("false", Boolean.FALSE);
            case 'n':
                return readLiteral("null", null);
            default:
                if (ch == '-' || (ch >= '0' && ch <= '9')) return readNumber();
                throw error("unexpected " + describe(pos) + ", expected a value");
        }
    }

    private Map<String, Object> readObject() {
        enter();
        pos++;   // '{'
        Map<String, Object> object = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key in an object, found " + describe(pos));
            int keyStart = pos;
            String key = readString();
            if (object.containsKey(key)) {
                throw new ModelFormatException("duplicate key " + quote(key) + " at character " + keyStart);
            }
            skipWhitespace();
            expect(':', "after an object key");
            skipWhitespace();
            object.put(key, readValue());
            skipWhitespace();
            char ch = peek();
            pos++;
            if (ch == '}') break;
            if (ch != ',') {
                pos--;
                throw error("expected ',' or '}' in an object, found " + describe(pos));
            }
        }
        depth--;
        return object;
    }

    private List<Object> readArray() {
        enter();
        pos++;   // '['
        List<Object> array = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return array;
        }
        while (true) {
            skipWhitespace();
            array.add(readValue());
            skipWhitespace();
            char ch = peek();
            pos++;
            if (ch == ']') break;
            if (ch != ',') {
                pos--;
                throw error("expected ',' or ']' in an array, found " + describe(pos));
            }
        }
        depth--;
        return array;
    }

    private String readString() {
        int start = pos;
        pos++;   // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new ModelFormatException("unterminated string starting at character " + start);
            }
            char ch = text.charAt(pos);
            if (ch == '"') {
                pos++;
                return sb.toString();
            }
            if (ch < 0x20) throw error("control character " + describe(pos) + " must be escaped in a string");
            if (ch == '\\') {
                sb.append(readEscape());
            } else if (Character.isHighSurrogate(ch) && pos + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(pos + 1))) {
                sb.append(ch).append(text.charAt(pos + 1));
                pos += 2;
            } else if (Character.isSurrogate(ch)) {
                throw error("unpaired surrogate " + describe(pos) + " in a string");
            } else {
                sb.append(ch);
                pos++;
            }
        }
    }

    /** Reads one escape at pos (the backslash); a \\u high surrogate must be followed by its low half. */
    private String readEscape() {
        int start = pos;
        if (pos + 1 >= text.length()) throw error("unexpected end of text in an escape");
        char kind = text.charAt(pos + 1);
        pos += 2;
        switch (kind) {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u': break;
            default:
                pos = start;
                throw error("invalid escape \\" + printable(kind) + " in a string");
        }
        char unit = readHex4(start);
        if (Character.isLowSurrogate(unit)) {
            pos = start;
            throw error("unpaired surrogate escape " + hex(unit) + " in a string");
        }
        if (!Character.isHighSurrogate(unit)) return String.valueOf(unit);
        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
            int lowStart = pos;
            pos += 2;
            char low = readHex4(lowStart);
            if (Character.isLowSurrogate(low)) return new String(new char[] {unit, low});
        }
        pos = start;
        throw error("unpaired surrogate escape " + hex(unit) + " in a string");
    }

    private char readHex4(int escapeStart) {
        int value = 0;
        for (int k = 0; k < 4; k++) {
            int digit = pos + k < text.length() ? hexDigit(text.charAt(pos + k)) : -1;
            if (digit < 0) {
                pos = escapeStart;
                throw error("invalid \\u escape, expected 4 hex digits");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private Object readNumber() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("invalid number, expected a digit after '-'");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("invalid number, expected a digit after '.'");
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("invalid number, expected a digit in the exponent");
            while (isDigit(peek())) pos++;
        }
        if (isDigit(peek())) {
            throw error("invalid number, leading zeros are not allowed");
        }
        String token = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(token);
            } catch (NumberFormatException tooBig) {
                // falls through: an integer beyond a long is still a valid JSON number
            }
        }
        double value = Double.parseDouble(token);
        if (Double.isInfinite(value)) {
            throw new ModelFormatException("number " + token + " is out of range at character " + start);
        }
        return value;
    }

    private Object readLiteral(String word, Object value) {
        if (!text.startsWith(word, pos)) throw error("unexpected " + describe(pos) + ", expected a value");
        pos += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("nesting is deeper than " + MAX_DEPTH + " levels");
    }

    private void expect(char ch, String where) {
        if (peek() != ch) throw error("expected '" + ch + "' " + where + ", found " + describe(pos));
        pos++;
    }

    /** The character at pos, or 0 at the end (0 is never valid where peek is used). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') return;
            pos++;
        }
    }

    /** 0..15 for an ASCII hex digit, else -1 (Character.digit would also take non-ASCII digits). */
    private static int hexDigit(char ch) {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        return -1;
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    private ModelFormatException error(String what) {
        return new ModelFormatException(what + " at character " + pos);
    }

    private String describe(int at) {
        return at >= text.length() ? "end of text" : printable(text.charAt(at));
    }

    private static String printable(char ch) {
        return ch >= 0x20 && ch < 0x7F ? "'" + ch + "'" : hex(ch);
    }

    private static String hex(char ch) {
        String h = Integer.toHexString(ch).toUpperCase();
        return "U+" + "0000".substring(h.length()) + h;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a value compactly (no spaces). Accepts what {@link #parse} returns: maps with string
     * keys, lists, strings, booleans, null, and numbers ({@code Long}, {@code Integer},
     * {@code Short}, {@code Byte} as integers; {@code Double}, {@code Float} as decimals).
     * Control characters are escaped; other characters, including non-ASCII, are written as they are.
     *
     * @throws IllegalArgumentException for other types, non-string keys, NaN or infinite numbers,
     *                                  or strings with unpaired surrogates
     */
    public static String write(Object value) {
        return JsonWriter.write(value);
    }

    static String quote(String s) {
        return write(s);
    }
}

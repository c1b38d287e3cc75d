package dev.rnnplayground.core.io;

/**
 * Strict UTF-8 for file headers, written out so that it behaves the same on the JVM and under
 * TeaVM. {@code new String(bytes, UTF_8)} would quietly turn bad bytes into U+FFFD; a model file
 * with a damaged header should be rejected instead.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Decodes {@code length} bytes from {@code offset}. Rejects truncated and overlong sequences,
     * encoded surrogates and code points above U+10FFFF.
     *
     * @throws ModelFormatException "not valid UTF-8 at byte i", i counted from {@code offset}
     */
    static String decode(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int extra;     // continuation bytes that follow
            int min;       // smallest code point this length may encode (rejects overlong forms)
            int cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                extra = 1;
                min = 0x80;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                extra = 2;
                min = 0x800;
                cp = b0 & 0x0F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                extra = 3;
                min = 0x10000;
                cp = b0 & 0x07;
            } else {
                throw invalid(i - offset);
            }
            if (i + extra >= end) throw invalid(i - offset);   // sequence cut off by the end
            for (int k = 1; k <= extra; k++) {
                int b = bytes[i + k] & 0xFF;
                if ((b & 0xC0) != 0x80) throw invalid(i + k - offset);
                cp = (cp << 6) | (b & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw invalid(i - offset);
            out.appendCodePoint(cp);
            i += extra + 1;
        }
        return out.toString();
    }

    /**
     * Encodes a string that must be well-formed UTF-16 (no unpaired surrogates).
     *
     * @throws IllegalArgumentException on an unpaired surrogate: a programming error, not bad input
     */
    static byte[] encode(String s) {
        byte[] out = new byte[utf8Length(s)];
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                out[n++] = (byte) cp;
            } else if (cp < 0x800) {
                out[n++] = (byte) (0xC0 | (cp >>> 6));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out[n++] = (byte) (0xE0 | (cp >>> 12));
                out[n++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[n++] = (byte) (0xF0 | (cp >>> 18));
                out[n++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        return out;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i);
            }
            i += Character.charCount(cp);
            n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        return n;
    }

    private static ModelFormatException invalid(int index) {
        return new ModelFormatException("not valid UTF-8 at byte " + index);
    }
}

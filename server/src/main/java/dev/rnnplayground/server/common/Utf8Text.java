package dev.rnnplayground.server.common;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding for the texts users give us (a corpus upload, {@code rnn train --text}):
 * a bad byte is reported with its offset instead of quietly becoming U+FFFD, so the user can find
 * and fix it. Each caller words the refusal for its own audience.
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    /** The input is not UTF-8: {@code offset} (from the start of the input) holds the first bad byte. */
    public static final class MalformedException extends RuntimeException {
        public final int offset;
        public final int value;

        MalformedException(int offset, int value) {
            super(String.format("byte %d (0x%02x) is not valid UTF-8", offset, value));
            this.offset = offset;
            this.value = value;
        }

        /** "byte 3 (0xe9)", as the messages show it. */
        public String where() {
            return String.format("byte %d (0x%02x)", offset, value);
        }
    }

    /** True when the input starts with the UTF-8 byte-order mark EF BB BF. */
    public static boolean hasByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF;
    }

    /** Decodes {@code bytes}, dropping a leading byte-order mark (it is not text). */
    public static String decode(byte[] bytes) {
        int start = hasByteOrderMark(bytes) ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            // the decoder stops with the input positioned at the first byte it could not use
            throw new MalformedException(in.position(), bytes[in.position()] & 0xff);
        }
        out.flip();
        return out.toString();
    }
}

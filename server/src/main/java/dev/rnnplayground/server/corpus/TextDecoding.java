package dev.rnnplayground.server.corpus;

import dev.rnnplayground.server.common.ServiceException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that says where a bad byte sits, instead of replacing it with U+FFFD. */
final class TextDecoding {

    private TextDecoding() {
    }

    /** Decodes {@code bytes} (from {@code offset}) or refuses them, naming the first bad byte's offset. */
    static String decodeUtf8(byte[] bytes, int offset) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        CharBuffer out = CharBuffer.allocate(bytes.length - offset);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            // the decoder stops with the input positioned at the first byte it could not use
            throw new ServiceException(ServiceException.Kind.UNPROCESSABLE, "Not UTF-8 text",
                    "The upload is not valid UTF-8: byte " + in.position() + " (0x"
                            + String.format("%02x", bytes[in.position()] & 0xff)
                            + ") does not fit. Save the text as UTF-8 and upload it again.");
        }
        out.flip();
        return out.toString();
    }
}

package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.format.ModelFile;
import dev.rnnplayground.core.format.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads what the commands are given, turning every way it can be wrong into one clear sentence. */
final class InputFiles {

    private InputFiles() {
    }

    static byte[] readBytes(Path file, String what) {
        if (Files.isDirectory(file)) throw new UserError(what + " " + file + " is a directory, not a file");
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** A non-empty UTF-8 text; a bad byte is named by its offset. */
    static String readText(Path file) {
        byte[] bytes = readBytes(file, "text file");
        if (bytes.length == 0) throw new UserError("text file " + file + " is empty");
        return decodeUtf8(bytes, file.toString());
    }

    static String decodeUtf8(byte[] bytes, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            throw new UserError(name + " is not UTF-8 text: byte " + in.position() + " (0x"
                    + String.format("%02x", bytes[in.position()] & 0xff) + ") is invalid");
        }
        out.flip();
        String text = out.toString();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);   // a BOM is not text
        if (text.isEmpty()) throw new UserError(name + " is empty");
        return text;
    }

    static CharRnn readModel(Path file) {
        byte[] bytes = readBytes(file, "model file");
        try {
            return ModelFile.read(bytes);
        } catch (ModelFormatException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }
}

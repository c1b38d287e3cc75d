package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.server.common.Utf8Text;
import java.io.IOException;
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
        String text;
        try {
            text = Utf8Text.decode(bytes);
        } catch (Utf8Text.MalformedException e) {
            throw new UserError(name + " is not UTF-8 text: " + e.where() + " is invalid");
        }
        if (text.isEmpty()) throw new UserError(name + " is empty");
        return text;
    }

    static LanguageModel readModel(Path file) {
        byte[] bytes = readBytes(file, "model file");
        try {
            return ModelFile.readModel(bytes);
        } catch (ModelFormatException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }
}

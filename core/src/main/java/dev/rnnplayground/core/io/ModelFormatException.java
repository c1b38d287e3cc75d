package dev.rnnplayground.core.io;

/**
 * A model file (or its JSON header) that cannot be read. The message is one sentence a user can
 * act on, for example "model file is truncated: header says 4096 bytes but only 100 follow".
 *
 * <p>Readers in this package throw only this for bad input, whatever the bytes are: a damaged file
 * never surfaces as an {@code ArrayIndexOutOfBoundsException} or a {@code ClassCastException}.
 */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.rnnplayground.server.cli;

import java.util.function.Supplier;

/** A problem with what the user asked for: printed as one line on stderr, exit code 1, no trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    /**
     * Runs a core call on what the user gave; core refuses bad input with an
     * IllegalArgumentException whose message is already the sentence to show.
     */
    static <T> T from(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}

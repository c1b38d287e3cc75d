package dev.rnnplayground.server.cli;

/** A problem with what the user asked for: printed as one line on stderr, exit code 1, no trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}

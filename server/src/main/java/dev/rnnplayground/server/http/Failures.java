package dev.rnnplayground.server.http;

import dev.rnnplayground.server.common.StorageFailure;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * Failures that are not the server's fault and deserve a precise answer rather than a 500: the
 * disk is full (507), the data directory cannot be written (503), the client broke off or sent a
 * body Jetty could not parse (4xx).
 */
final class Failures {

    private Failures() {
    }

    /** The problem to answer for {@code e}, or null for a real internal error. */
    static Problem describe(Throwable e, Path dataDir) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (StorageFailure.isDiskFull(t)) {
                return new Problem("Insufficient storage", 507, "The disk holding " + dataDir.toAbsolutePath()
                        + " is full: free some space (or delete models and corpora), then try again.");
            }
            if (StorageFailure.isNotWritable(t)) {
                return new Problem("Service unavailable", 503, "The server cannot write to " + dataDir.toAbsolutePath()
                        + "; make it writable and try again.");
            }
            if (t instanceof HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
                return new Problem(titleOf(h.getCode()), h.getCode(), h.getCode() == 413
                        ? "The request body is larger than this server takes."
                        : "The request could not be read: " + h.getReason() + ".");
            }
            if (t instanceof EofException) {
                return new Problem("Bad request", 400, "The request body ended before it was complete.");
            }
        }
        return null;
    }

    private static String titleOf(int code) {
        String m = org.eclipse.jetty.http.HttpStatus.getMessage(code);
        return m == null ? "Bad request" : m;
    }
}

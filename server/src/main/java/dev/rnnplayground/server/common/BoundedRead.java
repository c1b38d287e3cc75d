package dev.rnnplayground.server.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads a request body into memory or onto disk, refusing it as soon as it passes a size limit. */
public final class BoundedRead {

    private BoundedRead() {
    }

    /**
     * @param in       the body; not closed
     * @param maxBytes the largest accepted size
     * @param what     what the body is, for the error message ("the corpus", "the model file")
     */
    public static byte[] readAtMost(InputStream in, long maxBytes, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            copyAtMost(in, out, maxBytes, what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /**
     * Streams the body into a new file {@code target}, never holding more than a buffer of it in
     * memory; refuses it (413) as soon as it passes the limit. The caller deletes the file on failure.
     *
     * @return the bytes written
     */
    public static long copyAtMost(InputStream in, Path target, long maxBytes, String what) {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            return copyAtMost(in, out, maxBytes, what);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /** Copies; a failed read is reported here, a failed write thrown to the caller, who knows the target. */
    private static long copyAtMost(InputStream in, OutputStream out, long maxBytes, String what) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = read(in, buf, what)) != -1) {
            total += n;
            if (total > maxBytes) throw tooLarge(what, maxBytes);
            out.write(buf, 0, n);
        }
        return total;
    }

    private static int read(InputStream in, byte[] buf, String what) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + what, e);
        }
    }

    public static ServiceException tooLarge(String what, long maxBytes) {
        return new ServiceException(ServiceException.Kind.TOO_LARGE, "Upload too large",
                capitalize(what) + " is larger than the limit of " + humanBytes(maxBytes) + ".");
    }

    /** 20971520 -> "20 MB" (binary megabytes, as limits are configured). */
    public static String humanBytes(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + " MB";
        if (bytes >= 1024 && bytes % 1024 == 0) return bytes / 1024 + " KB";
        return bytes + " bytes";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

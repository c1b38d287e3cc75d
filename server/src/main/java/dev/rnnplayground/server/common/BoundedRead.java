package dev.rnnplayground.server.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a request body into memory, refusing it as soon as it passes a size limit. */
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
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(what, maxBytes);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + what, e);
        }
        return out.toByteArray();
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

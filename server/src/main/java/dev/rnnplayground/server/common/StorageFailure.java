package dev.rnnplayground.server.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;

/**
 * Recognises the two ways a write to the data directory fails that are not the server's fault: the
 * disk is full, or the directory cannot be written (read-only or no permission). The HTTP layer
 * answers them with 507 and 503; a training job reports them and goes on.
 */
public final class StorageFailure {

    private StorageFailure() {
    }

    /** ENOSPC and EDQUOT: Java reports them only in the message. */
    public static boolean isDiskFull(Throwable t) {
        if (!(t instanceof IOException || t instanceof UncheckedIOException)) return false;
        String m = String.valueOf(t.getMessage());
        return m.contains("No space left on device") || m.contains("Disk quota exceeded");
    }

    /** A read-only file system or a directory the server may not write to. */
    public static boolean isNotWritable(Throwable t) {
        return t instanceof AccessDeniedException || t instanceof ReadOnlyFileSystemException
                || t instanceof FileSystemException f && String.valueOf(f.getReason()).contains("Read-only");
    }

    /**
     * Why a write under {@code dataDir} failed, as the end of a sentence: "the disk holding DIR is
     * full", "DIR cannot be written (read-only or no permission)", or the I/O error's own words.
     */
    public static String reason(Throwable e, Path dataDir) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isDiskFull(t)) return "the disk holding " + dataDir.toAbsolutePath() + " is full";
            if (isNotWritable(t)) return dataDir.toAbsolutePath() + " cannot be written (read-only or no permission)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return "an I/O error (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }
}

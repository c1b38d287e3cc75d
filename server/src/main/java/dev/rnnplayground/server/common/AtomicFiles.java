package dev.rnnplayground.server.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * File writes that either happen completely or not at all: the bytes go to a temporary file in
 * the same directory, are forced to disk, and the file is renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A crash (even SIGKILL) leaves the old file or the new
 * one, never half of each. Temporary names start with {@value #TEMP_PREFIX} so a restart can sweep
 * leftovers.
 */
public final class AtomicFiles {

    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}, replacing it atomically. */
    public static void write(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            move(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("could not write " + target, e);
        }
    }

    /** A fresh, empty temporary directory next to {@code parent}'s children, for staging a whole entry. */
    public static Path stagingDirectory(Path parent) {
        try {
            Files.createDirectories(parent);
            return Files.createDirectory(parent.resolve(TEMP_PREFIX + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a staging directory in " + parent, e);
        }
    }

    /**
     * Creates the directory {@code parent/name} holding {@code files} (file name to content) all at
     * once: the files are written into a staging directory that is then renamed into place, so a
     * crash leaves either the whole entry or none of it.
     */
    public static void createDirectory(Path parent, String name, Map<String, byte[]> files) {
        Path staging = stagingDirectory(parent);
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) write(staging.resolve(file.getKey()), file.getValue());
            move(staging, parent.resolve(name));
        } catch (RuntimeException e) {
            deleteRecursively(staging);
            throw e;
        }
    }

    /** Renames a staged file or directory into place atomically (replacing a file, not a directory). */
    public static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the data directory's file system cannot rename atomically", e);
            }
            forceDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not move " + from + " to " + to, e);
        }
    }

    /**
     * Removes a directory tree so that it disappears at once: it is first renamed to a temporary
     * name (atomic), then deleted; a crash in between leaves only a leftover to sweep.
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        Path doomed = dir.resolveSibling(TEMP_PREFIX + "deleted-" + UUID.randomUUID());
        move(dir, doomed);
        deleteRecursively(doomed);
    }

    /** Deletes leftovers of interrupted writes ({@value #TEMP_PREFIX}*) directly inside {@code dir}. */
    public static void sweepTemporaries(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path p : entries) deleteRecursively(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean " + dir, e);
        }
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is swept on the next start
        }
    }

    /** Makes a rename durable: on Linux a directory can be opened and forced like a file. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on every platform; the rename itself is still atomic
        }
    }
}

package dev.rnnplayground.server.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a start puts a stored corpus, job or model it cannot read (a metadata file cut short by a
 * full disk, edited by hand, written by a broken version): {@code quarantine/} in the data
 * directory. The server starts without it instead of refusing to start; nothing there is ever
 * deleted, and {@code GET /api/quarantine} lists it, so its owner can look and repair or delete it.
 */
public final class Quarantine {

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    static final String FOLDER = "quarantine";
    /** Written beside each quarantined object: why it was moved. */
    static final String REASON_SUFFIX = ".reason.txt";

    /** One quarantined object: its folder's name under {@code quarantine/}, and why it is there. */
    public record Entry(String name, String kind, String id, String reason, String quarantinedAt) {
    }

    private Quarantine() {
    }

    public static Path folder(Path dataDir) {
        return dataDir.resolve(FOLDER);
    }

    /**
     * Moves {@code entry} (an object's folder in the data directory) to the quarantine folder, with
     * a note saying why, and logs one line.
     *
     * @param kind "corpus", "job" or "model"
     */
    public static void move(Path dataDir, String kind, Path entry, Exception why) {
        String id = entry.getFileName().toString();
        String name = kind + "-" + id + "-" + Instant.now().toEpochMilli();
        Path target = folder(dataDir).resolve(name);
        String reason = String.valueOf(why.getMessage());
        if (why.getCause() != null && why.getCause().getMessage() != null) reason += ": " + why.getCause().getMessage();
        reason = reason.length() > 1_000 ? reason.substring(0, 1_000) + "…" : reason;
        try {
            Files.createDirectories(folder(dataDir));
            Files.writeString(folder(dataDir).resolve(name + REASON_SUFFIX), kind + " " + id + "\n" + reason + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not quarantine the unreadable " + kind + " " + entry, e);
        }
        AtomicFiles.move(entry, target);
        LOG.error("{} {} cannot be read ({}); moved to {}", kind, id, Names.clean(reason, "no reason"), target);
    }

    /** Everything quarantined so far, oldest first. */
    public static List<Entry> list(Path dataDir) {
        List<Entry> out = new ArrayList<>();
        Path folder = folder(dataDir);
        if (!Files.isDirectory(folder)) return out;
        try (DirectoryStream<Path> notes = Files.newDirectoryStream(folder, "*" + REASON_SUFFIX)) {
            for (Path note : notes) {
                String file = note.getFileName().toString();
                String name = file.substring(0, file.length() - REASON_SUFFIX.length());
                String[] parts = name.split("-", 3);   // kind-id-millis; ids hold '_', never '-'
                String[] lines = Files.readString(note, StandardCharsets.UTF_8).split("\n", 2);
                String reason = lines.length > 1 ? lines[1].strip() : "";
                String when = parts.length == 3 && parts[2].matches("\\d{1,19}")
                        ? Instant.ofEpochMilli(Long.parseLong(parts[2])).toString() : null;
                out.add(new Entry(name, parts[0], parts.length > 1 ? parts[1] : "", reason, when));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }
}

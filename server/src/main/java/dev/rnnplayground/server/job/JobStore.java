package dev.rnnplayground.server.job;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.Quarantine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs on disk, one directory each under {@code jobs/<id>/}: {@code job.json} (the {@link Job}),
 * {@code history.json} (its {@link ProgressHistory}) and, while it trains, the resumable
 * {@code checkpoint.safetensors}. Every file is replaced atomically.
 */
final class JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    static final String JOB_FILE = "job.json";
    static final String HISTORY_FILE = "history.json";
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";

    /** A job as found on disk. */
    record Stored(Job job, List<ProgressHistory.Event> history) {
    }

    private final Path dir;

    JobStore(Path dataDir) {
        this.dir = dataDir.resolve("jobs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        AtomicFiles.sweepTemporaries(dir);
    }

    /** The data directory the jobs live in, for messages about it. */
    Path dataDir() {
        return dir.getParent();
    }

    /** Writes a new job's directory in one step. */
    void create(Job job) {
        AtomicFiles.createDirectory(dir, job.id(), Map.of(HISTORY_FILE, Jackson.toBytes(List.of()), JOB_FILE, Jackson.toBytes(job)));
    }

    void save(Job job) {
        Jackson.write(dir.resolve(job.id()).resolve(JOB_FILE), job);
    }

    void saveHistory(String id, List<ProgressHistory.Event> events) {
        AtomicFiles.write(dir.resolve(id).resolve(HISTORY_FILE), Jackson.toString(events).getBytes(StandardCharsets.UTF_8));
    }

    void saveCheckpoint(String id, byte[] bytes) {
        AtomicFiles.write(dir.resolve(id).resolve(CHECKPOINT_FILE), bytes);
    }

    /** The last checkpoint, or null when the job has none. */
    byte[] readCheckpoint(String id) {
        Path file = dir.resolve(id).resolve(CHECKPOINT_FILE);
        if (!Files.isRegularFile(file)) return null;
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** The step the last checkpoint was taken at; 0 when there is none or it cannot be read. */
    long checkpointStep(String id) {
        byte[] bytes = readCheckpoint(id);
        if (bytes == null) return 0;
        try {
            return Long.parseLong(SafeTensors.read(bytes).metadata().get("step"));
        } catch (RuntimeException e) {
            LOG.warn("checkpoint of job {} cannot be read; it will start over", id);
            return 0;
        }
    }

    void deleteCheckpoint(String id) {
        try {
            Files.deleteIfExists(dir.resolve(id).resolve(CHECKPOINT_FILE));
        } catch (IOException e) {
            LOG.warn("could not delete the checkpoint of job {}", id, e);
        }
    }

    private static Stored read(Path entry, Path meta) {
        Job job = Jackson.read(meta, Job.class);
        List<ProgressHistory.Event> history = List.of();
        Path historyFile = entry.resolve(HISTORY_FILE);
        if (Files.isRegularFile(historyFile)) {
            history = Jackson.read(historyFile, Jackson.MAPPER.readerFor(new TypeReference<List<ProgressHistory.Event>>() { }));
        }
        return new Stored(job, history);
    }

    List<Stored> loadAll() {
        List<Stored> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String id = entry.getFileName().toString();
                Path meta = entry.resolve(JOB_FILE);
                if (!Ids.isValid(Ids.Kind.JOB, id) || !Files.isRegularFile(meta)) {
                    LOG.warn("ignoring unexpected entry {}", entry);
                    continue;
                }
                AtomicFiles.sweepTemporaries(entry);
                try {
                    out.add(read(entry, meta));
                } catch (RuntimeException unreadable) {
                    Quarantine.move(dir.getParent(), "job", entry, unreadable);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load jobs from " + dir, e);
        }
        return out;
    }
}

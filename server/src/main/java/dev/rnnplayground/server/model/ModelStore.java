package dev.rnnplayground.server.model;

import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.Quarantine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models on disk: {@code models/<id>/model.safetensors} and {@code model.json}, staged in a
 * temporary directory and renamed into place so a crash never leaves half a model. Keeps every
 * model's metadata in memory and the few most recently used networks loaded, since sampling
 * reads the same model many times in a row.
 */
final class ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    static final String WEIGHTS_FILE = "model.safetensors";
    static final String META_FILE = "model.json";
    /**
     * Memory the loaded networks may take together: an eighth of the heap. A network takes 8 bytes
     * per parameter: its weights in doubles, without gradient buffers (it is only run forward).
     */
    private static final long LOADED_BYTES = Runtime.getRuntime().maxMemory() / 8;

    private final Path dir;
    private final Map<String, ModelInfo> byId = new ConcurrentHashMap<>();
    /** Loaded networks, least recently used first. Weights are only read, so threads may share one. */
    private final LinkedHashMap<String, LanguageModel> loaded = new LinkedHashMap<>(16, 0.75f, true);

    ModelStore(Path dataDir) {
        this.dir = dataDir.resolve("models");
        load();
    }

    Collection<ModelInfo> all() {
        return byId.values();
    }

    ModelInfo find(String id) {
        return byId.get(id);
    }

    void add(ModelInfo info, byte[] weights) {
        AtomicFiles.createDirectory(dir, info.id(), Map.of(WEIGHTS_FILE, weights, META_FILE, Jackson.toBytes(info)));
        byId.put(info.id(), info);
    }

    /**
     * A fresh staging directory for a model that arrives as a stream: write {@link #WEIGHTS_FILE}
     * into it, then {@link #addStaged}; a crash leaves a temporary the next start sweeps.
     */
    Path stagingDirectory() {
        return AtomicFiles.stagingDirectory(dir);
    }

    /** Adds the metadata to a staging directory holding the weights and renames it into place. */
    void addStaged(ModelInfo info, Path staging) {
        AtomicFiles.write(staging.resolve(META_FILE), Jackson.toBytes(info));
        AtomicFiles.move(staging, dir.resolve(info.id()));
        byId.put(info.id(), info);
    }

    void remove(String id) {
        // the files first: if that fails the model stays listed, as it stays on disk
        AtomicFiles.deleteTree(dir.resolve(id));
        byId.remove(id);
        synchronized (loaded) {
            loaded.remove(id);
        }
    }

    Path weightsFile(String id) {
        return dir.resolve(id).resolve(WEIGHTS_FILE);
    }

    byte[] weights(String id) {
        try {
            return Files.readAllBytes(weightsFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read model " + id, e);
        }
    }

    /** The network of a stored model, loaded once for inference (no gradient buffers) and shared, read-only. */
    LanguageModel network(String id) {
        synchronized (loaded) {
            LanguageModel m = loaded.get(id);
            if (m != null) return m;
        }
        LanguageModel m = ModelFile.readModelForInference(weights(id));   // outside the lock: a big file takes a while
        synchronized (loaded) {
            loaded.put(id, m);
            long bytes = loaded.values().stream().mapToLong(ModelStore::bytesOf).sum();
            var eldest = loaded.entrySet().iterator();
            while (bytes > LOADED_BYTES && loaded.size() > 1) {
                LanguageModel evicted = eldest.next().getValue();
                if (evicted == m) continue;
                bytes -= bytesOf(evicted);
                eldest.remove();
            }
        }
        return m;
    }

    private static long bytesOf(LanguageModel network) {
        return 8 * network.parameterCount();
    }

    private void load() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        AtomicFiles.sweepTemporaries(dir);
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path entry : entries) {
            String id = entry.getFileName().toString();
            Path meta = entry.resolve(META_FILE);
            if (!Ids.isValid(Ids.Kind.MODEL, id) || !Files.isRegularFile(meta) || !Files.isRegularFile(entry.resolve(WEIGHTS_FILE))) {
                LOG.warn("ignoring unexpected entry {}", entry);
                continue;
            }
            try {
                byId.put(id, Jackson.read(meta, ModelInfo.class));
            } catch (RuntimeException unreadable) {
                Quarantine.move(dir.getParent(), "model", entry, unreadable);
            }
        }
    }
}

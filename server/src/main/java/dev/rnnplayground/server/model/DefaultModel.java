package dev.rnnplayground.server.model;

import dev.rnnplayground.server.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model the server jar ships with ({@value #RESOURCE}), so that a new user has something to
 * sample from before training anything. It is imported once per data directory; the file
 * {@value #MARKER} records that, so a user who deletes it does not get it back on the next start.
 */
public final class DefaultModel {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModel.class);
    public static final String RESOURCE = "/models/default.safetensors";
    public static final String NAME = "Tiny Shakespeare (LSTM)";
    static final String MARKER = "default-model.json";

    /** What the marker file says. */
    record Seeded(String modelId, String seededAt) {
    }

    private DefaultModel() {
    }

    /** The shipped model's bytes, or null when this build has none. */
    public static byte[] fromClasspath() {
        try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    /**
     * Imports the default model into a data directory that has never had it.
     *
     * @param source gives the model's bytes, or null when there is none (then nothing is recorded,
     *               and a later build that has one seeds it)
     */
    public static void seedOnce(Path dataDir, ModelService models, Supplier<byte[]> source) {
        Path marker = dataDir.resolve(MARKER);
        if (Files.exists(marker)) return;
        byte[] bytes = source.get();
        if (bytes == null) return;
        String id = null;
        try {
            id = models.addDefault(bytes).id();
        } catch (RuntimeException e) {
            LOG.error("the shipped default model could not be imported; continuing without it", e);
        }
        Json.write(marker, new Seeded(id, Instant.now().toString()));
    }
}

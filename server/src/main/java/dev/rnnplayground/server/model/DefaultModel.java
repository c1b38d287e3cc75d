package dev.rnnplayground.server.model;

import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model the server jar ships with ({@value #RESOURCE}), so that a new user has something to
 * sample from before training anything. It is imported once per data directory; the file
 * {@value #MARKER} records that, so a user who deletes it does not get it back on the next start.
 *
 * <p>Beside it ship {@link #COMPANIONS}: small models of other cells trained on the same text, so
 * that a learner can compare cells (how far back their gradients reach) before training anything.
 * Each is imported once too, with a marker file of its own.
 */
public final class DefaultModel {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModel.class);
    public static final String RESOURCE = "/models/default.safetensors";
    public static final String NAME = "Tiny Shakespeare (LSTM)";
    static final String MARKER = "default-model.json";

    /** A model shipped beside the default one; {@code marker} records that it was imported. */
    public record Companion(String resource, String name, String marker) {
    }

    /**
     * Imported in this order, and listed newest first after the default: the LSTM that attends and
     * the GPT come first so they are listed last, and a page whose LSTM is gone opens with a
     * recurrent network.
     */
    public static final List<Companion> COMPANIONS = List.of(
            new Companion("/models/lstm-attention.safetensors", "Tiny Shakespeare (LSTM that attends)", "lstm-attention-model.json"),
            new Companion("/models/gpt.safetensors", "Tiny Shakespeare (GPT)", "gpt-model.json"),
            new Companion("/models/vanilla-rnn.safetensors", "Tiny Shakespeare (vanilla RNN)", "vanilla-rnn-model.json"),
            new Companion("/models/gru.safetensors", "Tiny Shakespeare (GRU)", "gru-model.json"));

    /** What the marker file says. */
    record Seeded(String modelId, String seededAt) {
    }

    private DefaultModel() {
    }

    /** The shipped model's bytes, or null when this build has none. */
    public static byte[] fromClasspath() {
        return resource(RESOURCE);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DefaultModel.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + name, e);
        }
    }

    /**
     * Imports the default model into a data directory that has never had it.
     *
     * @param source gives the model's bytes, or null when there is none (then nothing is recorded,
     *               and a later build that has one seeds it)
     */
    public static void seedOnce(Path dataDir, ModelService models, Supplier<byte[]> source) {
        seed(dataDir.resolve(MARKER), source, bytes -> models.addShipped(bytes, NAME));
    }

    private static void seed(Path marker, Supplier<byte[]> source, Function<byte[], ModelInfo> importer) {
        if (Files.exists(marker)) return;
        byte[] bytes = source.get();
        if (bytes == null) return;
        String id = null;
        try {
            id = importer.apply(bytes).id();
        } catch (RuntimeException e) {
            LOG.error("a model shipped with the server could not be imported; continuing without it", e);
        }
        Jackson.write(marker, new Seeded(id, Instant.now().toString()));
    }

    /** Imports each companion model the jar carries into a data directory that has never had it. */
    public static void seedCompanionsOnce(Path dataDir, ModelService models) {
        for (Companion c : COMPANIONS) {
            seed(dataDir.resolve(c.marker()), () -> resource(c.resource()), bytes -> models.addShipped(bytes, c.name()));
        }
    }
}

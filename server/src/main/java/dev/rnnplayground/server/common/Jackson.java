package dev.rnnplayground.server.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one Jackson configuration of the server, used for HTTP bodies and for the metadata files in
 * the data directory alike. Strict, so that what a client meant is never guessed: an unknown field
 * (a typo such as {@code "hiden"}) is an error instead of silently training with the default; so
 * is a key given twice, a number sent as a string ({@code "16"}, {@code ""}), a string where a
 * number belongs, a fraction where an integer belongs, and anything after the value ({@code {…}xyz}). Metadata files are read a little more
 * leniently ({@link #read}): they may come from a newer version.
 */
public final class Jackson {

    public static final ObjectMapper MAPPER = strict(new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS));

    /** No coercion between JSON's types: Jackson would otherwise turn "16", " 16" and "" into numbers. */
    @SuppressWarnings("deprecation")
    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setAcceptBlankAsEmpty(false);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private Jackson() {
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Writes a metadata file atomically. */
    public static void write(Path file, Object value) {
        AtomicFiles.write(file, toBytes(value));
    }

    /**
     * A value a stored file must hold, for a builder to check in {@code build()}: where a record
     * would refuse a missing number ({@code FAIL_ON_NULL_FOR_PRIMITIVES}), a builder must say so itself.
     */
    public static <T> T required(T value, String property) {
        if (value == null) throw new IllegalArgumentException("missing property '" + property + "'");
        return value;
    }

    /**
     * The largest metadata file a start reads: far above what the server writes (imports cut a
     * description at {@link Names#MAX_DESCRIPTION_LENGTH} symbols), and below what Jackson refuses
     * (a string of 20 M characters), so a file the server wrote always reads back. A larger one is
     * not read at all; the start quarantines it ({@link Quarantine}).
     */
    public static final long MAX_STORED_BYTES = 64L * 1024 * 1024;

    public static <T> T read(Path file, Class<T> type) {
        return read(file, MAPPER.readerFor(type));
    }

    /** Reads a metadata file of at most {@link #MAX_STORED_BYTES} with {@code reader}. */
    public static <T> T read(Path file, ObjectReader reader) {
        try {
            long size = Files.size(file);
            if (size > MAX_STORED_BYTES) {
                throw new IOException(size + " bytes, more than the " + MAX_STORED_BYTES + " a metadata file may have");
            }
            // stored files may come from a newer version: tolerate fields this one does not know
            return reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}

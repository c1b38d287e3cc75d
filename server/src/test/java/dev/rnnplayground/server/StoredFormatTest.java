package dev.rnnplayground.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.Job;
import dev.rnnplayground.server.job.JobStatus;
import dev.rnnplayground.server.model.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code job.json} and {@code model.json} keep their shape, so data directories written by earlier
 * versions still open. The files in {@code src/test/resources/stored/} were written by the server
 * when {@link Job} and {@link ModelInfo} were records (commit 0aedd65: {@code Json.toBytes}, now
 * {@link Jackson#toBytes}, of a job and a model with every field set), before they became classes
 * with builders.
 */
class StoredFormatTest {

    @TempDir
    Path data;

    @Test
    void aJobFileReadsBackAndIsWrittenByteForByteAsBefore() {
        String stored = resource("job.json");
        Job job = Jackson.read(write("job.json", stored), Job.class);
        assertEquals("j_0123456789ab", job.id());
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(250, job.step());
        assertEquals(31.5, job.trainingSeconds());
        assertEquals(200L, job.checkpointStep());
        assertEquals(24, job.spec().toConfig().hidden());
        assertNull(job.error());
        assertEquals(stored, new String(Jackson.toBytes(job), StandardCharsets.UTF_8), "settings not given are not written");
    }

    @Test
    void aModelFileReadsBackAndIsWrittenByteForByteAsBefore() {
        String stored = resource("model.json");
        ModelInfo info = Jackson.read(write("model.json", stored), ModelInfo.class);
        assertEquals("lstm", info.cell());
        assertEquals(12345, info.parameterCount());
        assertEquals(400L, info.steps());
        assertEquals("abc\n \"é", info.alphabet());
        assertEquals(stored, new String(Jackson.toBytes(info), StandardCharsets.UTF_8));
    }

    @Test
    void storedFilesAreReadAsLenientlyAndAsStrictlyAsBefore() {
        String model = resource("model.json");
        // models stored before the alphabet was recorded have none; a newer version's fields are skipped
        String older = model.replace(",\n  \"alphabet\" : \"abc\\n \\\"é\"", "");
        assertTrue(older.length() < model.length(), "the fixture has the alphabet last");
        assertNull(Jackson.read(write("older.json", older), ModelInfo.class).alphabet());
        String newer = model.replace("\"id\" :", "\"futureField\" : [1, 2],\n  \"id\" :");
        assertEquals("m_0123456789ab", Jackson.read(write("newer.json", newer), ModelInfo.class).id());

        // a number a record could not do without is still refused, missing or null
        String job = resource("job.json");
        assertThrows(UncheckedIOException.class, () -> Jackson.read(
                write("no-seconds.json", job.replace("\"trainingSeconds\" : 31.5,", "")), Job.class));
        assertThrows(UncheckedIOException.class, () -> Jackson.read(
                write("null-step.json", job.replace("\"step\" : 250,", "\"step\" : null,")), Job.class));
        assertThrows(UncheckedIOException.class, () -> Jackson.read(
                write("no-size.json", model.replace("\"sizeBytes\" : 49500,", "")), ModelInfo.class));
    }

    private Path write(String name, String json) {
        try {
            return Files.writeString(data.resolve(name), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = StoredFormatTest.class.getResourceAsStream("/stored/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

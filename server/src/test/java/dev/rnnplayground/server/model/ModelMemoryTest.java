package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model costs in memory. An import streams the upload to disk and reads it from there once:
 * it allocates the file's bytes once and its values as doubles twice (the parsed tensors and a
 * network without gradient buffers), about 5 bytes per byte of a float32 file, where reading the
 * body into memory, copying it, parsing it twice and building a trainable network took 12. The
 * networks the server keeps loaded for sampling have no gradient buffers either.
 */
class ModelMemoryTest {

    /** Bytes allocated per byte of the file: 1 (the file) + 2 (tensors) + 2 (weights), and some slack. */
    static final double MAX_BYTES_ALLOCATED_PER_FILE_BYTE = 6;

    @TempDir
    Path data;

    @Test
    void anImportHoldsTheFileOnceAndLeavesNoStagingBehind() throws Exception {
        byte[] file = modelFile();
        ModelService models = new ModelService(data, 256L * 1024 * 1024);
        models.importFile("warm-up", new ByteArrayInputStream(file));   // class loading and the JIT, not counted

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ModelInfo info = models.importFile("measured", new ByteArrayInputStream(file));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(file.length, info.sizeBytes());
        double perByte = (double) allocated / file.length;
        assertTrue(perByte <= MAX_BYTES_ALLOCATED_PER_FILE_BYTE, "an import of " + file.length + " bytes allocated "
                + allocated + " bytes, " + perByte + " per byte of the file");
        try (Stream<Path> entries = Files.list(data.resolve("models"))) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX)), names.toString());
        }
    }

    @Test
    void aNetworkLoadedForSamplingHasNoGradientBuffers() {
        ModelService models = new ModelService(data, 256L * 1024 * 1024);
        String id = models.importFile("sampled", new ByteArrayInputStream(modelFile())).id();
        CharRnn network = models.recurrentNetwork(id);
        assertFalse(network.hasGradients());
        for (Param p : network.parameters()) assertNull(p.dw, p.name);
        assertEquals(200, models.sample(id, new SampleRequest(null, null, null, null, null)).text().length());
    }

    /** A 1-layer LSTM of 384 units over 34 symbols: 2.6 MB as float32. */
    private static byte[] modelFile() {
        return ModelFile.write(new CharRnn(CellType.LSTM, Vocab.of("abcdefghijklmnopqrstuvwxyz .,;:!?'"), 384, 1)
                .initialize(3), DType.F32);
    }
}

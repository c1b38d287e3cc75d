package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.CellType;
import dev.rnnplayground.core.CharRnn;
import dev.rnnplayground.core.Vocab;
import dev.rnnplayground.core.format.DType;
import dev.rnnplayground.core.format.ModelFile;
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
 * An import streams the upload to disk and reads it from there once: it allocates the file's bytes
 * once, its values as doubles (the parsed tensors) and the network, about 7 bytes per byte of a
 * float32 file, where reading the body into memory, copying it and parsing it twice took 12.
 */
class ImportMemoryTest {

    /** Bytes allocated per byte of the file: 1 (the file) + 2 (tensors) + 4 (weights and gradients), and some slack. */
    static final double MAX_BYTES_ALLOCATED_PER_FILE_BYTE = 8;

    @TempDir
    Path data;

    @Test
    void anImportHoldsTheFileOnceAndLeavesNoStagingBehind() throws Exception {
        byte[] file = ModelFile.write(new CharRnn(CellType.LSTM, Vocab.of("abcdefghijklmnopqrstuvwxyz .,;:!?'"), 384, 1)
                .initialize(3), DType.F32);
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
}

package dev.rnnplayground.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where Debian's OpenBLAS is installed, the engine loads it and no other copy of OpenBLAS: one
 * library in the process's memory map, and it holds Debian's bytes.
 */
class NativeBlasTest {

    @Test
    void debiansOpenBlasIsTheOnlyOneLoadedWhereItIsInstalled() throws Exception {
        assumeTrue(Files.isRegularFile(NativeBlas.SYSTEM_LIBRARY_DIR.resolve("libopenblas.so.0")),
                "Debian's OpenBLAS (libopenblas0-pthread) is not installed here");
        assertNull(NativeBlas.load());
        assertEquals("Debian's OpenBLAS", NativeBlas.library());
        List<Path> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .filter(file -> file.contains("libopenblas"))
                .distinct().map(Path::of).toList();
        assertEquals(1, mapped.size(), "one OpenBLAS mapped, got " + mapped);
        // JavaCPP maps it from a copy in its cache directory: the same bytes as Debian's file
        assertEquals(-1, Files.mismatch(NativeBlas.SYSTEM_LIBRARY_DIR.resolve("libopenblas.so.0"), mapped.get(0)),
                mapped.get(0) + " holds Debian's library");
    }
}

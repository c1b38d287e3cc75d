package dev.rnnplayground.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one float32 matrix product the fast engine uses, {@code C = alpha op(A) op(B) + beta C}
 * (row-major, {@code cblas_sgemm}), on OpenBLAS: Debian's own build when it is installed
 * ({@code apt-get install libopenblas0-pthread}, the library PyTorch and numpy use here), else the
 * natives inside the {@code org.bytedeco:openblas} jar (nothing to install). Debian's build
 * trained the 512-unit LSTM about 1.45x faster on this machine (an AMD EPYC without AVX-512, where
 * both pick OpenBLAS's "Zen" kernels; docs/engines-and-benchmarks.md). {@code -Drnn.openblas=bundled} keeps
 * the jar's.
 *
 * <p>A wrong size or leading dimension in a native call would crash the JVM instead of throwing,
 * so every call checks in Java that each operand lies inside its array.
 */
final class NativeBlas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;   // the CBLAS enums

    /** Where Debian's libopenblas0-pthread puts its library. */
    static final Path SYSTEM_LIBRARY_DIR = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread");

    private static volatile String loadError;
    private static volatile boolean loaded;
    private static volatile String library = "OpenBLAS";

    private NativeBlas() {
    }

    /**
     * Loads OpenBLAS once, single-threaded: the engine puts its own threads on the batch, and
     * OpenBLAS's threads wait for each other by spinning on sched_yield, which collapses (measured:
     * 6,100 to 1,200 chars/s) as soon as another process wants the second core. Returns null when
     * it works, else why it does not.
     */
    static synchronized String load() {
        if (loaded) return null;
        if (loadError != null) return loadError;
        try {
            boolean system = preferSystemLibrary();
            Loader.load(openblas_nolapack.class);
            library = system ? "Debian's OpenBLAS" : "OpenBLAS from its jar";
            openblas_nolapack.blas_set_num_threads(1);
            checkProduct();
            loaded = true;
            return null;
        } catch (Throwable e) {   // UnsatisfiedLinkError, NoClassDefFoundError, a wrong product…
            loadError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return loadError;
        }
    }

    /**
     * Points JavaCPP at Debian's OpenBLAS when it is installed and not declined: JavaCPP then finds
     * it on the library path before the copy in its jar, and loads only that one (two OpenBLAS
     * copies in one process would share their thread settings). JavaCPP records what it loaded as
     * links in its cache directory, which would make later runs load Debian's library even when
     * told not to, so this mode keeps a cache directory of its own.
     */
    private static boolean preferSystemLibrary() {
        if ("bundled".equals(System.getProperty("rnn.openblas"))) return false;
        if (!Files.isRegularFile(SYSTEM_LIBRARY_DIR.resolve("libopenblas.so.0"))) return false;
        String path = System.getProperty("java.library.path", "");
        System.setProperty("java.library.path", path.isEmpty() ? SYSTEM_LIBRARY_DIR.toString() : path + ":" + SYSTEM_LIBRARY_DIR);
        System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
        System.setProperty("org.bytedeco.javacpp.cachedir",
                Path.of(System.getProperty("user.home"), ".javacpp", "cache-debian-openblas").toString());
        return true;
    }

    /** Which OpenBLAS was loaded, for the engine's one-line description. */
    static String library() {
        return library;
    }

    /** A 2x2 product with a known answer, so a broken library is refused at load, not mid-training. */
    private static void checkProduct() {
        FloatArray a = new FloatArray(4), b = new FloatArray(4), c = new FloatArray(4);
        float[] av = {1, 2, 3, 4}, bv = {5, 6, 7, 8}, expected = {19, 22, 43, 50};
        for (int i = 0; i < 4; i++) {
            a.set(i, av[i]);
            b.set(i, bv[i]);
        }
        gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        for (int i = 0; i < 4; i++) {
            if (c.get(i) != expected[i]) throw new IllegalStateException("OpenBLAS computed a wrong 2x2 product");
        }
    }

    /**
     * C (m x n, at cOff, leading dimension ldc) = alpha op(A) op(B) + beta C, where op(A) is m x k
     * and op(B) is k x n; A is stored k x m when transA, B n x k when transB. A, B are not modified.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     FloatArray a, int aOff, int lda, FloatArray b, int bOff, int ldb,
                     float beta, FloatArray c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        requireInside("A", a, aOff, transA ? k : m, transA ? m : k, lda);
        requireInside("B", b, bOff, transB ? n : k, transB ? k : n, ldb);
        requireInside("C", c, cOff, m, n, ldc);
        if (c == a || c == b) throw new IllegalArgumentException("C must not share memory with A or B");
        FloatPointer pa = a.at(0, aOff), pb = b.at(1, bOff), pc = c.at(2, cOff);
        if (m == 1) {
            // One row (batch 1): a matrix-vector product. OpenBLAS's sgemm does not hand m = 1 to
            // its gemv kernel and runs 4-5x slower on it. c^T = op(B)^T a^T; a's elements are lda
            // apart when A is stored transposed (k x 1).
            openblas_nolapack.cblas_sgemv(ROW_MAJOR, transB ? NO_TRANS : TRANS, transB ? n : k, transB ? k : n,
                    alpha, pb, ldb, pa, transA ? lda : 1, beta, pc, 1);
            return;
        }
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    private static void requireInside(String name, FloatArray x, int offset, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0 || ld < Math.max(1, cols) || offset < 0
                || (rows > 0 && (long) offset + (long) (rows - 1) * ld + cols > x.length)) {
            throw new IllegalArgumentException(String.format("%s (%d x %d, leading dimension %d, offset %d) "
                    + "does not fit in an array of %d floats", name, rows, cols, ld, offset, x.length));
        }
    }
}

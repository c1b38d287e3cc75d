package dev.rnnplayground.engine;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The one float32 matrix product the fast engine uses, {@code C = alpha op(A) op(B) + beta C}
 * (row-major, {@code cblas_sgemm}), on OpenBLAS loaded from the natives inside the
 * {@code org.bytedeco:openblas} jar (nothing to install).
 *
 * <p>A wrong size or leading dimension in a native call would crash the JVM instead of throwing,
 * so every call checks in Java that each operand lies inside its array.
 */
final class NativeBlas {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;   // the CBLAS enums

    private static volatile String loadError;
    private static volatile boolean loaded;

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
            Loader.load(openblas_nolapack.class);
            openblas_nolapack.blas_set_num_threads(1);
            checkProduct();
            loaded = true;
            return null;
        } catch (Throwable e) {   // UnsatisfiedLinkError, NoClassDefFoundError, a wrong product…
            loadError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return loadError;
        }
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

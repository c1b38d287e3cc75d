package dev.rnnplayground.core.util;

/**
 * The project's own pseudo-random generator (Steele, Lea and Flood's SplitMix64). Written out here,
 * not taken from {@code java.util.Random}, so that the JVM and the browser (TeaVM) draw the same
 * numbers from the same seed, and so its whole state is one long that a checkpoint can store.
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Moves n draws ahead at once: the state only ever grows by the same constant. */
    public void skip(long n) {
        state += n * 0x9E3779B97F4A7C15L;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** The whole state, for checkpoints. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }
}

package dev.rnnplayground.core.train;

import dev.rnnplayground.core.util.SplitMix64;

/**
 * nanoGPT's {@code get_batch}: each of the B windows starts at a random place in the text, so a
 * model that reads a block at a time (a transformer) sees every part of the text in every order
 * and nothing needs carrying between windows. Window n's places depend only on the seed and n,
 * so the position a checkpoint stores is just how many windows were drawn, and a resumed run
 * draws exactly the windows an uninterrupted one would.
 */
final class RandomWindows implements TrainingWindows {
    private final int[] data;
    private final int batch;
    private final int steps;
    private final long seed;
    private int drawn;

    RandomWindows(int[] data, int batch, int steps, long seed) {
        if (data.length < steps + 1) {
            throw new IllegalArgumentException("text too short: " + data.length + " symbols, fewer than one window of "
                    + steps + " and the symbol after it");
        }
        this.data = data;
        this.batch = batch;
        this.steps = steps;
        this.seed = seed;
    }

    @Override
    public boolean next(int[][] inputs, int[][] targets) {
        SplitMix64 rng = new SplitMix64(seed ^ 0x5DEECE66DL ^ (drawn * 0x9E3779B97F4A7C15L));
        int places = data.length - steps;   // a window starting at p needs data[p + steps] as its last target
        for (int b = 0; b < batch; b++) {
            int start = (int) (rng.nextDouble() * places);
            System.arraycopy(data, start, inputs[b], 0, steps);
            System.arraycopy(data, start + 1, targets[b], 0, steps);
        }
        drawn++;
        return false;
    }

    /** As many windows as it takes to read as many symbols as the text holds. */
    @Override
    public double windowsPerEpoch() {
        return (double) data.length / ((long) batch * steps);
    }

    @Override
    public int position() {
        return drawn;
    }

    @Override
    public void setPosition(int position) {
        if (position < 0) throw new IllegalArgumentException("position out of range: " + position);
        this.drawn = position;
    }
}

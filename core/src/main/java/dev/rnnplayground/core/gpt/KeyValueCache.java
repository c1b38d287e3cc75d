package dev.rnnplayground.core.gpt;

import dev.rnnplayground.core.model.LanguageModel;
import java.util.Map;

/**
 * What a GPT remembers while it writes: the keys and values every block computed for the symbols
 * read so far (at most a block of them), so that a new symbol costs one position, not a whole
 * block. While training it carries nothing ({@link #tensors()} is empty), and it allocates nothing
 * until the first symbol is written.
 */
public final class KeyValueCache implements LanguageModel.CarriedState {
    private final int layers, blockSize, channels;
    final int[] symbols;     // (T) the symbols held, position by position
    int count;               // how many positions are held
    double[][] keys;         // [L] (T, C) every head's key side by side; null until used
    double[][] values;       // [L] (T, C)

    KeyValueCache(Gpt model) {
        this.layers = model.layerCount();
        this.blockSize = model.contextLimit();
        this.channels = model.channels();
        this.symbols = new int[blockSize];
    }

    void ensureAllocated() {
        if (keys != null) return;
        keys = new double[layers][blockSize * channels];
        values = new double[layers][blockSize * channels];
    }

    /** How many positions the cache holds (at most the block size). */
    public int positions() {
        return count;
    }

    @Override
    public void reset() {
        count = 0;
    }

    @Override
    public KeyValueCache copy() {
        KeyValueCache c = new KeyValueCache(layers, blockSize, channels);
        System.arraycopy(symbols, 0, c.symbols, 0, blockSize);
        c.count = count;
        if (keys != null) {
            c.ensureAllocated();
            for (int l = 0; l < layers; l++) {
                System.arraycopy(keys[l], 0, c.keys[l], 0, keys[l].length);
                System.arraycopy(values[l], 0, c.values[l], 0, values[l].length);
            }
        }
        return c;
    }

    private KeyValueCache(int layers, int blockSize, int channels) {
        this.layers = layers;
        this.blockSize = blockSize;
        this.channels = channels;
        this.symbols = new int[blockSize];
    }

    /** Nothing to checkpoint: a GPT carries nothing from one training window to the next. */
    @Override
    public Map<String, double[]> tensors() {
        return Map.of();
    }
}

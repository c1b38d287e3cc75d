package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** char-rnn's minibatches: B contiguous streams, T symbols per window, targets one ahead. */
class BatchStreamsTest {

    /** data[i] = i, so every window shows exactly which positions of the text it took. */
    private static int[] positions(int n) {
        int[] data = new int[n];
        for (int i = 0; i < n; i++) data[i] = i;
        return data;
    }

    @Test
    void withOneStreamTheFirstWindowIsTheStartOfTheText() {
        BatchStreams streams = new BatchStreams(positions(20), 1, 4);
        int[][] in = new int[1][4], out = new int[1][4];
        assertTrue(streams.next(in, out), "the first window starts an epoch");
        assertArrayEquals(new int[] {0, 1, 2, 3}, in[0], "text[0..T-1]");
        assertArrayEquals(new int[] {1, 2, 3, 4}, out[0], "text[1..T]: each target is the next input");
        assertFalse(streams.next(in, out));
        assertArrayEquals(new int[] {4, 5, 6, 7}, in[0], "the next window continues where the last ended");
        assertArrayEquals(new int[] {5, 6, 7, 8}, out[0]);
    }

    @Test
    void streamsAreContiguousSlicesOfTheText() {
        // 25 symbols, B=3: n = (25-1)/3 = 8 symbols per stream, starting at 0, 8, 16
        BatchStreams streams = new BatchStreams(positions(25), 3, 4);
        assertEquals(8, streams.streamLength);
        assertEquals(2, streams.windowsPerEpoch());
        int[][] in = new int[3][4], out = new int[3][4];
        streams.next(in, out);
        assertArrayEquals(new int[] {0, 1, 2, 3}, in[0]);
        assertArrayEquals(new int[] {8, 9, 10, 11}, in[1]);
        assertArrayEquals(new int[] {16, 17, 18, 19}, in[2]);
        streams.next(in, out);
        assertArrayEquals(new int[] {4, 5, 6, 7}, in[0], "row b carries on stream b, so its hidden state can be carried");
        assertArrayEquals(new int[] {12, 13, 14, 15}, in[1]);
        assertArrayEquals(new int[] {20, 21, 22, 23}, in[2]);
        assertArrayEquals(new int[] {21, 22, 23, 24}, out[2], "the last target is the text's last symbol");
    }

    @Test
    void atTheEndItWrapsToTheStartAndSaysResetTheState() {
        // 11 symbols, B=1, T=4: n = 10, two full windows (0..3, 4..7); positions 8..9 are too few for a third
        BatchStreams streams = new BatchStreams(positions(11), 1, 4);
        int[][] in = new int[1][4], out = new int[1][4];
        assertTrue(streams.next(in, out));
        assertFalse(streams.next(in, out));
        assertTrue(streams.next(in, out), "a new epoch: the trainer must reset the carried state");
        assertArrayEquals(new int[] {0, 1, 2, 3}, in[0]);
        assertFalse(streams.next(in, out));
        assertArrayEquals(new int[] {4, 5, 6, 7}, in[0]);
    }

    @Test
    void aTextShorterThanOneWindowPerStreamIsRejectedWithTheNeededLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchStreams(positions(8), 2, 4));
        assertTrue(e.getMessage().contains("text too short"), e.getMessage());
        assertTrue(e.getMessage().contains("need at least 9 symbols"), e.getMessage());
        new BatchStreams(positions(9), 2, 4);   // exactly enough
    }

    @Test
    void positionCanBeRestoredForResume() {
        BatchStreams streams = new BatchStreams(positions(20), 1, 4);
        streams.setPosition(8);
        int[][] in = new int[1][4], out = new int[1][4];
        assertFalse(streams.next(in, out));
        assertArrayEquals(new int[] {8, 9, 10, 11}, in[0]);
        assertEquals(12, streams.position());
        assertThrows(IllegalArgumentException.class, () -> streams.setPosition(20));
        assertThrows(IllegalArgumentException.class, () -> streams.setPosition(-1));
    }

    @Test
    void aPositionAtTheEndOfTheStreamsCanBeRestoredAndWraps() {
        // 17 symbols, T = 8: a stream of exactly 16, so after two windows the position is 16, the stream's end
        BatchStreams streams = new BatchStreams(positions(17), 1, 8);
        int[][] in = new int[1][8], out = new int[1][8];
        streams.next(in, out);
        streams.next(in, out);
        assertEquals(16, streams.position());
        BatchStreams restored = new BatchStreams(positions(17), 1, 8);
        restored.setPosition(streams.position());   // what a checkpoint taken here stores
        assertTrue(restored.next(in, out), "the next window starts a new epoch");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, in[0]);
    }
}

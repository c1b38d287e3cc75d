package dev.rnnplayground.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomWindowsTest {
    /** Symbol i of the "text" is i, so a window shows where it was cut. */
    private static int[] positions(int n) {
        int[] data = new int[n];
        for (int i = 0; i < n; i++) data[i] = i;
        return data;
    }

    @Test
    void everyWindowIsAContiguousSliceWithItsNextSymbolsAsTargets() {
        int[] data = positions(100);
        RandomWindows windows = new RandomWindows(data, 4, 8, 1);
        int[][] in = new int[4][8], out = new int[4][8];
        Set<Integer> starts = new HashSet<>();
        for (int n = 0; n < 200; n++) {
            assertFalse(windows.next(in, out), "nothing is carried, so nothing is ever reset");
            for (int b = 0; b < 4; b++) {
                int start = in[b][0];
                starts.add(start);
                assertTrue(start >= 0 && start + 8 < 100, "window starts at " + start);
                for (int t = 0; t < 8; t++) {
                    assertEquals(start + t, in[b][t]);
                    assertEquals(start + t + 1, out[b][t]);
                }
            }
        }
        assertEquals(92, starts.size(), "800 draws reach every one of the 92 places a window fits");
    }

    @Test
    void aRestoredPositionDrawsTheSameWindowsAsAnUnbrokenRun() {
        int[] data = positions(1000);
        RandomWindows whole = new RandomWindows(data, 3, 16, 7);
        int[][] in = new int[3][16], out = new int[3][16];
        for (int n = 0; n < 5; n++) whole.next(in, out);
        RandomWindows resumed = new RandomWindows(data, 3, 16, 7);
        resumed.setPosition(whole.position());
        int[][] in2 = new int[3][16], out2 = new int[3][16];
        whole.next(in, out);
        resumed.next(in2, out2);
        assertArrayEquals(in, in2);
        assertArrayEquals(out, out2);
        RandomWindows otherSeed = new RandomWindows(data, 3, 16, 8);
        otherSeed.setPosition(5);
        otherSeed.next(in2, out2);
        assertFalse(java.util.Arrays.deepEquals(in, in2), "another seed, other windows");
    }

    @Test
    void aTextShorterThanAWindowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RandomWindows(positions(8), 1, 8, 1));
        assertTrue(e.getMessage().contains("text too short"), e.getMessage());
    }
}

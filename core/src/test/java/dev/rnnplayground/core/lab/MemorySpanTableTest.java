package dev.rnnplayground.core.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary over seeds: mean and range per gap, and the two gaps the captions quote. */
class MemorySpanTableTest {

    private static MemorySpan.Outcome o(CellType cell, int gap, long seed, double accuracy) {
        return new MemorySpan.Outcome(cell, gap, seed, 16, 100, accuracy, 1.0, null, 0.1);
    }

    @Test
    void meanAndRangeOverSeedsAndWhereEachModelRecallsAndGuesses() {
        List<MemorySpan.Outcome> runs = new ArrayList<>();
        double[][] lstm = {{1.0, 0.98}, {0.92, 0.90}, {0.30, 0.26}};   // gaps 5, 20, 40 × seeds 1, 2
        double[][] rnn = {{0.95, 0.99}, {0.26, 0.40}, {0.24, 0.22}};
        int[] gaps = {5, 20, 40};
        for (int s = 0; s < 2; s++) {
            for (int g = 0; g < 3; g++) {
                runs.add(o(CellType.LSTM, gaps[g], s + 1, lstm[g][s]));
                runs.add(o(CellType.RNN, gaps[g], s + 1, rnn[g][s]));
            }
        }
        List<MemorySpanTable.Line> lines = MemorySpanTable.of(runs);
        assertEquals(List.of(CellType.LSTM, CellType.RNN), lines.stream().map(MemorySpanTable.Line::model).toList());
        MemorySpanTable.Cell c = lines.get(0).cells().get(1);
        assertEquals(20, c.gap());
        assertEquals(0.91, c.mean(), 1e-12);
        assertEquals(0.90, c.min());
        assertEquals(0.92, c.max());
        assertEquals(20, lines.get(0).longestRecalled());
        assertEquals(40, lines.get(0).chanceFrom(), "0.28 is within three standard errors of 0.25");
        assertEquals(5, lines.get(1).longestRecalled());
        assertEquals(40, lines.get(1).chanceFrom(), "0.33 at gap 20 is above chance, so only 40 counts");
        assertTrue(MemorySpanTable.AT_CHANCE > 0.30 && MemorySpanTable.AT_CHANCE < 0.31, String.valueOf(MemorySpanTable.AT_CHANCE));
    }

    @Test
    void aDivergedSeedIsCountedButNotAveragedAndAModelThatNeverGuessesHasNoChanceGap() {
        MemorySpan.Outcome diverged = new MemorySpan.Outcome(CellType.GRU, 5, 2, 16, 100, Double.NaN, Double.NaN, "diverged", 0.1);
        MemorySpanTable.Line line = MemorySpanTable.of(List.of(o(CellType.GRU, 5, 1, 0.8), diverged)).get(0);
        MemorySpanTable.Cell c = line.cells().get(0);
        assertEquals(2, c.seeds());
        assertEquals(1, c.diverged());
        assertEquals(0.8, c.mean());
        assertNull(line.chanceFrom());
        assertNull(line.longestRecalled());
    }
}

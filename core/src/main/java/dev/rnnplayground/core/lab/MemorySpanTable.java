package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.CellType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory-span runs summed up over seeds: per model and gap the mean accuracy and its range,
 * and per model the words a learner needs, the longest gap it still recalls and the gap from
 * which it is at chance. The command line's table, the API's summary and so the page's caption
 * all read them from here, so that they cannot disagree.
 */
public final class MemorySpanTable {

    /**
     * Mean accuracy at or below this is "at chance": chance plus three standard errors of a
     * {@value MemorySpan#TEST_EXAMPLES}-example score at chance, 0.25 + 3 × 0.019 ≈ 0.31.
     */
    public static final double AT_CHANCE = MemorySpan.CHANCE
            + 3 * Math.sqrt(MemorySpan.CHANCE * (1 - MemorySpan.CHANCE) / MemorySpan.TEST_EXAMPLES);
    /** Mean accuracy at or above this is "recalls": nine letters in ten. */
    public static final double RECALLS = 0.9;

    /** One model at one gap over its seeds; mean, min and max are NaN when every seed diverged. */
    public record Cell(CellType model, int gap, int seeds, int diverged, double mean, double min, double max) {
    }

    /**
     * One model over the gaps.
     *
     * @param longestRecalled the longest gap at which its mean is at least {@value #RECALLS}, or null
     * @param chanceFrom      the shortest gap from which its mean is at chance at that gap and at
     *                        every longer one measured, or null when it never is
     */
    public record Line(CellType model, long parameters, List<Cell> cells, Integer longestRecalled, Integer chanceFrom) {
    }

    private MemorySpanTable() {
    }

    /** The lines, one per model in the order of {@code outcomes}, each cell in the order of its gaps. */
    public static List<Line> of(List<MemorySpan.Outcome> outcomes) {
        Map<CellType, Map<Integer, List<MemorySpan.Outcome>>> grouped = new LinkedHashMap<>();
        Map<CellType, Long> parameters = new LinkedHashMap<>();
        for (MemorySpan.Outcome o : outcomes) {
            grouped.computeIfAbsent(o.cell(), c -> new LinkedHashMap<>()).computeIfAbsent(o.gap(), g -> new ArrayList<>()).add(o);
            parameters.put(o.cell(), o.parameters());
        }
        List<Line> lines = new ArrayList<>();
        grouped.forEach((model, byGap) -> {
            List<Cell> cells = new ArrayList<>();
            byGap.forEach((gap, runs) -> cells.add(cell(model, gap, runs)));
            cells.sort((a, b) -> Integer.compare(a.gap(), b.gap()));
            lines.add(new Line(model, parameters.get(model), cells, longestRecalled(cells), chanceFrom(cells)));
        });
        return lines;
    }

    private static Cell cell(CellType model, int gap, List<MemorySpan.Outcome> runs) {
        double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        int scored = 0;
        for (MemorySpan.Outcome o : runs) {
            if (o.diverged() != null) continue;
            sum += o.accuracy();
            min = Math.min(min, o.accuracy());
            max = Math.max(max, o.accuracy());
            scored++;
        }
        if (scored == 0) return new Cell(model, gap, runs.size(), runs.size(), Double.NaN, Double.NaN, Double.NaN);
        return new Cell(model, gap, runs.size(), runs.size() - scored, sum / scored, min, max);
    }

    private static Integer longestRecalled(List<Cell> cells) {
        Integer longest = null;
        for (Cell c : cells) if (c.mean() >= RECALLS) longest = c.gap();
        return longest;
    }

    private static Integer chanceFrom(List<Cell> cells) {
        Integer from = null;
        for (int i = cells.size() - 1; i >= 0 && cells.get(i).mean() <= AT_CHANCE; i--) from = cells.get(i).gap();
        return from;
    }
}

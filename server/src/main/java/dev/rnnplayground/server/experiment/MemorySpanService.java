package dev.rnnplayground.server.experiment;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.rnnplayground.core.lab.MemorySpan;
import dev.rnnplayground.core.lab.MemorySpanDefaults;
import dev.rnnplayground.core.lab.MemorySpanTable;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.train.TrainingEngine;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.model.InferenceGate;
import dev.rnnplayground.server.model.ModelService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory-span experiment ({@link MemorySpan}) as one background run at a time, for the page:
 * it trains dozens of small throwaway models, so it runs on a thread of its own (no request waits
 * for it), keeps its results in memory only (the models list stays clean), holds one of the
 * compute permits the model requests share while it runs (one core: the fast engine on one
 * thread), and stops at {@value #MAX_SECONDS} s or when cancelled, keeping what it finished.
 */
public final class MemorySpanService {
    private static final Logger LOG = LoggerFactory.getLogger(MemorySpanService.class);

    public static final int MAX_GAP = 200;
    public static final int MAX_GAPS = 8;
    public static final int MAX_SEEDS = 5;
    public static final int MAX_STEPS = 5000;
    /** The time cap: a run still going then stops, status "stopped", with the results it has. */
    public static final int MAX_SECONDS = 600;

    /** One model at one gap with one seed; accuracy and loss are null when training diverged. */
    public record Result(String cell, int gap, long seed, int window, long parameters, Double accuracy, Double finalLoss,
                         String diverged, double seconds) {
    }

    /** One model at one gap over the seeds finished so far (core's {@link MemorySpanTable.Cell}). */
    public record SummaryCell(int gap, int seeds, int diverged, Double mean, Double min, Double max) {
    }

    /** One model over the gaps (core's {@link MemorySpanTable.Line}). */
    public record SummaryLine(String cell, long parameters, Integer longestRecalled, Integer chanceFrom, List<SummaryCell> gaps) {
    }

    /**
     * What runs: the models, gaps, seeds and the budget each gets, with each model's BPTT window per
     * gap and, for the attending models, the longest gap they can look straight back across.
     */
    public record Plan(List<String> cells, List<Integer> gaps, int seeds, MemorySpan.Budget budget, Map<String, List<Integer>> windows,
                       Map<String, Integer> inSight) {
    }

    /**
     * The run as the page follows it, one flat JSON object (the position and the scale are written
     * as fields of their own).
     *
     * @param status    running, done, cancelled, stopped (the time cap) or failed
     */
    public record Status(String id, String status, String error, String startedAt, double seconds, int maxSeconds, Plan plan,
                         @JsonUnwrapped Position position, @JsonUnwrapped Scale scale, List<Result> results, List<SummaryLine> summary) {
    }

    /**
     * Where the run is.
     *
     * @param runsDone  models trained so far, of {@code runsTotal}
     * @param running   the model, gap and seed training now ("lstm, gap 20, seed 2"), or null
     * @param step      the step that run is at, of {@code steps}
     */
    public record Position(int runsDone, int runsTotal, String running, long step, long steps) {
    }

    /**
     * How a recall score reads.
     *
     * @param chance    what guessing scores
     * @param atChance  a mean at or below this is at chance
     * @param recalls   a mean at or above this recalls
     */
    public record Scale(double chance, double atChance, double recalls) {
    }

    private final ModelService models;
    private final TrainingEngine.Factory engines;
    private final AtomicLong counter = new AtomicLong();
    private Run latest;

    /** Trains on the fast engine on one thread (the one core the permit stands for), else the reference. */
    public MemorySpanService(ModelService models) {
        this(models, Engines.factory(Engines.Choice.FAST, 1));
    }

    MemorySpanService(ModelService models, TrainingEngine.Factory engines) {
        this.models = models;
        this.engines = engines;
    }

    /** Starts a run, refused with 409 while one is running and 503 when every compute permit is taken. */
    public synchronized Status start(MemorySpanRequest r) {
        Run run = parse(r);
        if (latest != null && latest.isRunning()) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, "Already running", "A memory-span run is already"
                    + " running (" + latest.outcomes.size() + " of " + latest.total + " models trained); wait for it or cancel it.");
        }
        run.permit = models.holdCompute("The server is computing for other requests with all its spare cores; try the"
                + " memory-span run again in a few seconds.");
        latest = run;
        Thread t = new Thread(run::execute, "memory-span " + run.id);
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);   // keep the API responsive while it trains
        t.start();
        return run.status();
    }

    /** The latest run, running or finished; 404 when none has been started since the server started. */
    public synchronized Status latest() {
        if (latest == null) {
            throw new ServiceException(ServiceException.Kind.NOT_FOUND, "Not found",
                    "No memory-span run has been started since the server started.");
        }
        return latest.status();
    }

    /** Asks the running run to stop after its current step; 409 when none is running. */
    public synchronized Status cancel() {
        if (latest == null || !latest.isRunning()) {
            throw new ServiceException(ServiceException.Kind.CONFLICT, "Not running", "No memory-span run is running.");
        }
        latest.cancelRequested = true;
        return latest.status();
    }

    private Run parse(MemorySpanRequest r) {
        List<String> errors = new ArrayList<>();
        List<CellType> cells = new ArrayList<>();
        for (String c : r.cells() == null ? MemorySpanDefaults.PAGE_CELLS.stream().map(CellType::id).toList() : r.cells()) {
            CellType cell = MemorySpan.FAMILIES.stream().filter(f -> f.id().equals(c)).findFirst().orElse(null);
            if (cell == null) errors.add("cells: each must be " + MemorySpan.names() + ", got \"" + c + "\"");
            else if (cells.contains(cell)) errors.add("cells: " + c + " is named twice");
            else cells.add(cell);
        }
        if (r.cells() != null && r.cells().isEmpty()) errors.add("cells: name at least one model");
        List<Integer> gaps = r.gaps() == null ? MemorySpanDefaults.PAGE_GAPS : r.gaps();
        if (gaps.isEmpty() || gaps.size() > MAX_GAPS) errors.add("gaps: give 1 to " + MAX_GAPS + " gaps, got " + gaps.size());
        for (Integer g : gaps) {
            if (g == null || g < 0 || g > MAX_GAP) errors.add("gaps: each must be 0 to " + MAX_GAP + ", got " + g);
        }
        if (gaps.stream().distinct().count() != gaps.size()) errors.add("gaps: each gap once");
        int seeds = r.seeds() == null ? MemorySpanDefaults.PAGE_SEEDS : r.seeds();
        if (seeds < 1 || seeds > MAX_SEEDS) errors.add("seeds: must be 1 to " + MAX_SEEDS + ", got " + seeds);
        long steps = r.steps() == null ? MemorySpanDefaults.PAGE_STEPS : r.steps();
        if (steps < 1 || steps > MAX_STEPS) errors.add("steps: must be 1 to " + MAX_STEPS + ", got " + steps);
        ModelService.refuse(errors);
        List<Integer> sorted = gaps.stream().sorted().toList();
        return new Run("ms_" + counter.incrementAndGet(), cells, sorted, seeds, MemorySpanDefaults.page().withSteps(steps));
    }

    /** One run: its plan, what it has finished, and where it is. Fields the run thread writes are read under the run's lock. */
    private final class Run implements MemorySpan.Watcher {
        final String id;
        final List<CellType> cells;
        final List<Integer> gaps;
        final int seeds;
        final MemorySpan.Budget budget;
        final int total;
        final String startedAt = Instant.now().toString();
        final long startNanos = System.nanoTime();
        final List<MemorySpan.Outcome> outcomes = new ArrayList<>();
        InferenceGate.Held permit;
        volatile boolean cancelRequested;
        volatile long step;
        volatile String state = "running";
        volatile String error;
        volatile double finishedSeconds = Double.NaN;

        Run(String id, List<CellType> cells, List<Integer> gaps, int seeds, MemorySpan.Budget budget) {
            this.id = id;
            this.cells = cells;
            this.gaps = gaps;
            this.seeds = seeds;
            this.budget = budget;
            this.total = cells.size() * gaps.size() * seeds;
        }

        boolean isRunning() {
            return state.equals("running");
        }

        void execute() {
            String how = "failed", why = "The run stopped unexpectedly; the details are in the server log.";
            try {
                MemorySpan.runAll(cells, gaps, seeds, budget, engines, this);
                how = "done";
                why = null;
            } catch (CancellationException e) {
                boolean timeUp = !cancelRequested;
                how = timeUp ? "stopped" : "cancelled";
                why = timeUp ? "Stopped at the time cap of " + MAX_SECONDS + " s: ask for fewer"
                        + " steps, gaps or seeds; the results are the runs it finished." : null;
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.error("memory-span run {} failed", id, e);
                why = "The run failed (" + e.getClass().getSimpleName() + "); the details are in the server log.";
            } finally {
                // the permit first: a client that sees the run over may start the next one at once
                permit.release();
                error = why;
                finishedSeconds = seconds();
                state = how;
            }
        }

        private double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        @Override
        public boolean stopRequested() {
            return cancelRequested || seconds() > MAX_SECONDS;
        }

        @Override
        public void onStep(long done, long steps) {
            step = done;
        }

        @Override
        public void onOutcome(MemorySpan.Outcome o) {
            synchronized (this) {
                outcomes.add(o);
            }
            step = 0;
        }

        synchronized Status status() {
            List<Result> results = new ArrayList<>();
            for (MemorySpan.Outcome o : outcomes) {
                results.add(new Result(o.cell().id(), o.gap(), o.seed(), o.window(), o.parameters(), finite(o.accuracy()),
                        finite(o.finalLoss()), o.diverged(), o.seconds()));
            }
            List<SummaryLine> summary = new ArrayList<>();
            for (MemorySpanTable.Line line : MemorySpanTable.of(outcomes)) {
                List<SummaryCell> byGap = new ArrayList<>();
                for (MemorySpanTable.Cell c : line.cells()) {
                    byGap.add(new SummaryCell(c.gap(), c.seeds(), c.diverged(), finite(c.mean()), finite(c.min()), finite(c.max())));
                }
                summary.add(new SummaryLine(line.model().id(), line.parameters(), line.longestRecalled(), line.chanceFrom(), byGap));
            }
            Map<String, List<Integer>> windows = new LinkedHashMap<>();
            for (CellType c : cells) windows.put(c.id(), gaps.stream().map(g -> budget.window(c, g)).toList());
            Map<String, Integer> inSight = new LinkedHashMap<>();
            for (CellType c : MemorySpan.FAMILIES) {
                Integer farthest = MemorySpan.farthestGapInSight(c, budget);
                if (farthest != null) inSight.put(c.id(), farthest);
            }
            Plan plan = new Plan(cells.stream().map(CellType::id).toList(), gaps, seeds, budget, windows, inSight);
            String now = null;
            if (isRunning() && outcomes.size() < total) {
                int i = outcomes.size(), perSeed = cells.size() * gaps.size();
                now = cells.get(i % cells.size()).id() + ", gap " + gaps.get(i % perSeed / cells.size()) + ", seed " + (i / perSeed + 1);
            }
            double seconds = Double.isNaN(finishedSeconds) ? seconds() : finishedSeconds;
            return new Status(id, state, error, startedAt, Math.round(seconds * 10) / 10.0, MAX_SECONDS, plan,
                    new Position(outcomes.size(), total, now, isRunning() ? step : 0, budget.steps()),
                    new Scale(MemorySpan.CHANCE, MemorySpanTable.AT_CHANCE, MemorySpanTable.RECALLS), results, summary);
        }
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}

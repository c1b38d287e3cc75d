package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.core.lab.Ladder;
import dev.rnnplayground.core.lab.LadderRung;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.model.ModelService;
import dev.rnnplayground.server.model.RequestCost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ablation ladder ({@link Ladder}) on an uploaded text, on a short budget: each rung trains for
 * the steps asked with the lecture's batch, learning rate and decay, and is scored on the first
 * {@value #EVAL_SYMBOLS} held-out symbols (and as many training symbols). It runs under the same
 * limits as the requests on stored models: its multiply-adds are counted before it starts and
 * refused above {@link RequestCost#MAX_WORK}, and it computes under the server's compute gate (a
 * few at a time, each until its deadline, {@link ModelService#compute}).
 */
public final class LadderService {
    public static final int DEFAULT_STEPS = 200;
    public static final int MAX_STEPS = 2_000;
    /** The shortest text: the held-out tenth must hold a few hundred symbols to score. */
    public static final int MIN_SYMBOLS = 2_000;
    /** Held-out symbols scored per rung: 16 batches of 32 x 8. */
    public static final int EVAL_SYMBOLS = 4_096;

    /** One rung's outcome, with what the lecture measured for its version of the rung. */
    public record Rung(String id, String label, String description, long parameters, double trainLoss, double valLoss,
                       double seconds, double lectureValLoss) {
    }

    /** The budget every rung had, and the rungs asked for, lowest first. */
    public record Result(String corpusId, String corpusName, long steps, int batchSize, int blockSize, int channels,
                         double learningRate, double weightDecay, int evalSymbols, long seed, List<Rung> rungs) {
    }

    private final CorpusService corpora;
    private final ModelService models;

    public LadderService(CorpusService corpora, ModelService models) {
        this.corpora = corpora;
        this.models = models;
    }

    public Result run(LadderRequest r, Identity who) {
        List<String> errors = new ArrayList<>();
        if (r.corpusId() == null) errors.add("corpusId: name the text to train on (an uploaded corpus)");
        List<LadderRung> rungs = new ArrayList<>();
        if (r.rungs() == null) {
            rungs.addAll(Arrays.asList(LadderRung.values()));
        } else {
            for (String id : r.rungs()) {
                try {
                    LadderRung rung = LadderRung.parse(id == null ? "" : id);
                    if (!rungs.contains(rung)) rungs.add(rung);
                } catch (IllegalArgumentException e) {
                    errors.add("rungs: " + e.getMessage());
                }
            }
            if (r.rungs().isEmpty()) errors.add("rungs: name at least one rung, or leave it out for all");
        }
        long steps = r.steps() == null ? DEFAULT_STEPS : r.steps();
        if (steps < 1 || steps > MAX_STEPS) errors.add("steps: must be 1 to " + MAX_STEPS + ", got " + steps);
        ModelService.refuse(errors);
        Corpus corpus = corpora.get(r.corpusId(), who);   // 404 for a corpus that is not there, or another learner's
        if (corpus.symbolCount() < MIN_SYMBOLS) {
            ModelService.refuse(List.of(String.format(Locale.ROOT, "corpusId: the ladder needs a text of at least %,d symbols"
                    + " (it holds out the last tenth), this one has %,d", MIN_SYMBOLS, corpus.symbolCount())));
        }
        rungs.sort(null);   // lowest first, however they were asked for
        Ladder.Budget budget = Ladder.Budget.lecture().withSteps(steps).withEvalSymbols(EVAL_SYMBOLS)
                .withSeed(r.seed() == null ? 1 : r.seed());
        String text = corpora.text(corpus.id());
        Vocab vocab = Vocab.of(text);
        // each position of a training step costs the parameters three times (forward, and backward's
        // two products), each position scored (held-out and training) once
        long perStep = 0, scoring = 0;
        for (LadderRung rung : rungs) {
            long perPosition = workPerPosition(rung, vocab);
            perStep += 3L * budget.batchSize() * LadderRung.BLOCK * perPosition;
            scoring += 2L * EVAL_SYMBOLS * perPosition;
        }
        long work = steps * perStep + scoring;
        if (work > RequestCost.MAX_WORK) {
            long fit = Math.max(0, (RequestCost.MAX_WORK - scoring) / perStep);
            ModelService.refuse(List.of(String.format(Locale.ROOT, "steps: %d steps of %s cost about %,d multiply-adds, over"
                    + " this server's limit of %,d; ask for at most %d steps, or fewer rungs at once", steps,
                    rungs.size() == 1 ? "this rung" : "these " + rungs.size() + " rungs", work, RequestCost.MAX_WORK, fit)));
        }
        List<Ladder.Outcome> outcomes = models.compute(deadline -> Ladder.run(rungs, text, budget, deadline, o -> { }));
        List<Rung> shown = new ArrayList<>();
        for (Ladder.Outcome o : outcomes) {
            LadderRung g = o.rung();
            shown.add(new Rung(g.id(), g.label(), g.description(), o.parameters(), o.trainLoss(), o.valLoss(), o.seconds(),
                    g.lectureValLoss()));
        }
        return new Result(corpus.id(), corpus.name(), steps, budget.batchSize(), LadderRung.BLOCK, LadderRung.CHANNELS,
                budget.learningRate(), budget.weightDecay(), EVAL_SYMBOLS, budget.seed(), shown);
    }

    /**
     * Multiply-adds of one position read by a rung, an upper bound: its parameters, and for a rung
     * with attention every position reading a whole block in each of the deepest rung's layers
     * (2·T·C per layer), as {@link RequestCost#workPerPosition} counts a GPT's.
     */
    static long workPerPosition(LadderRung rung, Vocab vocab) {
        long attention = rung == LadderRung.BIGRAM ? 0 : 2L * LadderRung.LAYERS * LadderRung.BLOCK * LadderRung.CHANNELS;
        return rung.create(vocab, 0).parameterCount() + attention;
    }
}

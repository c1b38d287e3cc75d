package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.core.lab.SyntheticTexts;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.corpus.CorpusService;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import dev.rnnplayground.server.model.RequestCost;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The synthetic texts on the server: made into ordinary corpora (a job trains on them like on any
 * text), and scored on a model with the metric that matters for each task.
 */
public final class SyntheticService {
    public static final int MAX_EXAMPLES = 200_000;
    public static final int MAX_SCORED_EXAMPLES = 5_000;

    /** What a model scores on fresh examples: overall, and per group (bracket depth; index = depth). */
    public record Score(String task, int size, long seed, int scored, double accuracy, double chance,
                        List<Double> accuracyByGroup, List<Integer> countByGroup) {
    }

    private final CorpusService corpora;
    private final ModelService models;

    public SyntheticService(CorpusService corpora, ModelService models) {
        this.corpora = corpora;
        this.models = models;
    }

    public Corpus createCorpus(SyntheticRequest r, Identity who) {
        Parsed p = parse(r, 2_000, MAX_EXAMPLES);
        refuseTooLargeForACorpus(p);
        SyntheticTexts.Scored s = SyntheticTexts.generate(p.task, p.size, p.examples, p.seed);
        String size = switch (p.task) {   // the reber grammar has no size
            case RECALL -> " gap " + p.size;
            case BRACKETS -> " depth " + p.size;
            default -> "";
        };
        String name = String.format(Locale.ROOT, "%s%s, seed %d", p.task.id(), size, p.seed);
        return corpora.create(name, s.text().getBytes(StandardCharsets.UTF_8), who);
    }

    /**
     * Both ranges allow a text larger than a corpus may be (200,000 recall lines with a gap of 1,000
     * are 200 MB): refused before it is generated, as a 400 naming the product and the corpus limit,
     * where it used to be a 413 for a body of a few bytes. The length is extrapolated from the first
     * {@value #SAMPLE_EXAMPLES} examples (exact for recall, whose lines all have one length).
     */
    private void refuseTooLargeForACorpus(Parsed p) {
        int sampled = Math.min(p.examples, SAMPLE_EXAMPLES);
        long sampleBytes = SyntheticTexts.generate(p.task, p.size, sampled, p.seed).text().getBytes(StandardCharsets.UTF_8).length;
        double bytesPerExample = (double) sampleBytes / sampled;
        long maxBytes = corpora.limits().maxBytes();
        if (bytesPerExample * p.examples > maxBytes) {
            long fitting = (long) (maxBytes / bytesPerExample);
            ModelService.refuse(List.of(String.format(Locale.ROOT, "examples: %,d examples of this size make a text of"
                    + " about %,.1f MB, over this server's corpus limit of %,.1f MB; ask for at most about %,d",
                    p.examples, bytesPerExample * p.examples / MB, maxBytes / MB, fitting)));
        }
    }

    private static final int SAMPLE_EXAMPLES = 100;
    private static final double MB = 1024 * 1024;   // as the corpus limit is stated (--max-corpus-mb)

    /** 404 for a model that is not there or that {@code who} may not see, before the body is read. */
    public void requireModel(String id, Identity who) {
        models.get(id, who);
    }

    /** Scores under the server's limits, like sampling: a few at a time, each until its deadline. */
    public Score score(String modelId, SyntheticRequest r) {
        ModelInfo info = models.get(modelId);
        Parsed p = parse(r, 500, MAX_SCORED_EXAMPLES);
        SyntheticTexts.Scored s = SyntheticTexts.generate(p.task, p.size, p.examples, p.seed);
        List<String> errors = new ArrayList<>();
        RequestCost.check("examples", s.text().length(), 1, Math.min(s.text().length(), SyntheticTexts.PREDICTION_CHUNK),
                info, errors);
        ModelService.refuse(errors);
        LanguageModel model = models.network(modelId);
        String[] predicted;
        try {
            predicted = models.compute(deadline -> SyntheticTexts.predictions(model, s, deadline));
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("The model does not know every symbol of the " + p.task.id()
                    + " text: score a model trained on that task.");
        }
        SyntheticTexts.Accuracy a = SyntheticTexts.accuracy(s, predicted);
        List<Double> byGroup = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int g = 0; g < a.byGroup().length; g++) {
            byGroup.add(Double.isNaN(a.byGroup()[g]) ? null : a.byGroup()[g]);
            counts.add(a.countByGroup()[g]);
        }
        double chance = 1.0 / s.candidates()[0].length();
        return new Score(p.task.id(), p.size, p.seed, a.scored(), a.overall(), chance, byGroup, counts);
    }

    private record Parsed(SyntheticTexts.Task task, int size, int examples, long seed) {
    }

    private static Parsed parse(SyntheticRequest r, int defaultExamples, int maxExamples) {
        List<String> errors = new ArrayList<>();
        SyntheticTexts.Task task = null;
        try {
            task = SyntheticTexts.Task.parse(r.task() == null ? "" : r.task());
        } catch (IllegalArgumentException e) {
            errors.add("task: must be recall, brackets or reber, got " + (r.task() == null ? "nothing" : "\"" + r.task() + "\""));
        }
        int size = r.size() != null ? r.size() : task == SyntheticTexts.Task.BRACKETS ? 4 : 10;
        if (task == SyntheticTexts.Task.RECALL && (size < 0 || size > 1000)) errors.add("size: the gap must be 0 to 1000, got " + size);
        if (task == SyntheticTexts.Task.BRACKETS && (size < 1 || size > 100)) errors.add("size: the depth must be 1 to 100, got " + size);
        int examples = r.examples() != null ? r.examples() : defaultExamples;
        if (examples < 1 || examples > maxExamples) errors.add("examples: must be 1 to " + maxExamples + ", got " + examples);
        ModelService.refuse(errors);
        return new Parsed(task, size, examples, r.seed() != null ? r.seed() : 1);
    }
}

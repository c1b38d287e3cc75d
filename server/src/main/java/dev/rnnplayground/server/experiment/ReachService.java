package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.GradientReach;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.job.JobService;
import dev.rnnplayground.server.model.ModelInfo;
import dev.rnnplayground.server.model.ModelService;
import dev.rnnplayground.server.model.RequestCost;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a stored model's gradient reach ({@link GradientReach}) and adds what the chart needs
 * beside it: the training window, the farthest back training ever looked. Every family with a
 * gradient to follow back is measured: the recurrent networks, the LSTM that attends and the GPT;
 * a bigram, which predicts from the last symbol alone, is refused in one sentence.
 */
public final class ReachService {
    public static final int DEFAULT_POSITIONS = 100;
    public static final int DEFAULT_LAGS = 100;
    public static final int MAX_TEXT_SYMBOLS = 100_000;

    /** What the endpoint returns: the measurement and the model's BPTT window (null when unknown). */
    public record Reach(String modelId, String cell, Integer trainingWindow, GradientReach.Result reach) {
    }

    // "... 6000 steps of 32 x 50 characters ...", as rnn train describes the models it writes
    private static final Pattern WINDOW_IN_DESCRIPTION = Pattern.compile("steps of \\d+ x (\\d+) characters");

    private final ModelService models;
    private final JobService jobs;

    public ReachService(ModelService models, JobService jobs) {
        this.models = models;
        this.jobs = jobs;
    }

    /** 404 for a model that is not there or that {@code who} may not see, before the body is read. */
    public void requireModel(String id, Identity who) {
        models.get(id, who);
    }

    public Reach measure(String id, ReachRequest r) {
        ModelInfo info = models.get(id);
        Architecture shape = info.toArchitecture();
        if (shape.kind() == CellType.BIGRAM) {
            throw ServiceException.invalid("Gradient reach follows a prediction's gradient back through what the model read;"
                    + " a bigram predicts from the last symbol alone.");
        }
        String text = r.text() == null ? "" : r.text();
        int lags = r.lags() == null ? DEFAULT_LAGS : r.lags();
        int window = GradientReach.windowSteps(lags, contextLimit(shape));
        int positions = r.positions() == null ? defaultPositions(window, RequestCost.workPerPosition(info)) : r.positions();
        List<String> errors = new ArrayList<>();
        if (positions < 1 || positions > GradientReach.MAX_POSITIONS) {
            errors.add("positions: must be 1 to " + GradientReach.MAX_POSITIONS + ", got " + positions);
        }
        if (lags < 1 || lags > GradientReach.MAX_LAGS) errors.add("lags: must be 1 to " + GradientReach.MAX_LAGS + ", got " + lags);
        int symbols = text.codePointCount(0, text.length());
        if (symbols > MAX_TEXT_SYMBOLS) errors.add("text: may hold at most " + MAX_TEXT_SYMBOLS + " symbols, got " + symbols);
        if (errors.isEmpty()) {
            // each position reads its own window; GradientReach keeps the windows of a few positions at once
            RequestCost.check("positions", (long) positions * window, 1,
                    (long) Math.min(positions, GradientReach.windowsAtOnce(shape.kind())) * window, info, errors);
        }
        ModelService.refuse(errors);
        LanguageModel model = models.network(id);
        try {
            GradientReach.Result reach = models.compute(deadline -> GradientReach.measure(model, text, positions, lags, deadline));
            return new Reach(id, info.cell(), trainingWindow(info), reach);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ServiceException(ServiceException.Kind.INVALID, "Invalid request",
                    Character.toUpperCase(m.charAt(0)) + m.substring(1) + ".", java.util.Map.of("text", m));
        }
    }

    /** The most positions the model reads at once: a GPT's block; a recurrent network carries its state on. */
    private static int contextLimit(Architecture shape) {
        return shape.kind() == CellType.GPT ? shape.blockSize() : Integer.MAX_VALUE;
    }

    /**
     * Positions measured when the request names none: {@value #DEFAULT_POSITIONS}, or as many as
     * fit the work limit for a large model (at least 1), each reading {@code window} positions.
     */
    static int defaultPositions(int window, long workPerPosition) {
        long fit = RequestCost.MAX_WORK / ((long) window * Math.max(1, workPerPosition));
        return (int) Math.max(1, Math.min(DEFAULT_POSITIONS, fit));
    }

    /** The BPTT window the model was trained with: from its job, else from rnn train's description. */
    Integer trainingWindow(ModelInfo info) {
        if (info.jobId() != null) {
            try {
                return jobs.spec(info.jobId()).toConfig().seqLength();
            } catch (ServiceException gone) {
                // the job was deleted: fall back on the description
            }
        }
        if (info.description() == null) return null;
        Matcher m = WINDOW_IN_DESCRIPTION.matcher(info.description());
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}

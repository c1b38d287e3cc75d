package dev.rnnplayground.server.job;

import dev.rnnplayground.server.training.TrainingListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a {@code progress} event, as the page's chart reads them: one place for the
 * server's own jobs ({@code JobRunner}) and for jobs a worker trains from PostgreSQL.
 */
public final class ProgressPoint {

    private ProgressPoint() {
    }

    public static Map<String, Object> of(TrainingListener.Progress p) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("step", p.step());
        point.put("steps", p.totalSteps());
        point.put("epoch", p.epoch());
        point.put("loss", p.loss());
        point.put("valLoss", p.validationLoss());
        point.put("gradNorm", Double.isFinite(p.gradientNorm()) ? p.gradientNorm() : null);
        point.put("clipped", p.clipped());
        point.put("charsPerSecond", Math.round(p.pace().charsPerSecond()));
        point.put("etaSeconds", etaSeconds(p));
        point.put("trainingSeconds", Math.round(p.pace().trainingSeconds() * 1000) / 1000.0);
        point.put("charactersSeen", p.charactersSeen());
        return point;
    }

    /** The time left, to a tenth of a second. */
    static double etaSeconds(TrainingListener.Progress p) {
        return Math.round(p.pace().etaSeconds() * 10) / 10.0;
    }
}

package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.StepReport;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code rnn train} shows while it works: on a terminal a progress bar with loss, chars/s
 * and ETA (me.tongfei:progressbar); when the output is piped to a file or a log, a plain line
 * every 100 steps instead, since a redrawn bar would fill a log with carriage returns.
 */
final class TrainingProgress implements AutoCloseable {
    private static final int LOG_EVERY = 100;
    private final ProgressBar bar;     // null when not on a terminal
    private final boolean quiet;
    private final long total;

    private TrainingProgress(ProgressBar bar, boolean quiet, long total) {
        this.bar = bar;
        this.quiet = quiet;
        this.total = total;
    }

    static TrainingProgress open(boolean quiet, long done, long total) {
        if (quiet || System.console() == null) return new TrainingProgress(null, quiet, total);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(total)
                .startsFrom(done, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .build();
        return new TrainingProgress(bar, false, total);
    }

    void update(StepReport r, double charsPerSecond, double validationLoss) {
        String val = Double.isNaN(validationLoss) ? "" : String.format(Locale.ROOT, " val %.3f", validationLoss);
        if (bar != null) {
            bar.stepTo(r.step());
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f%s %,.0f ch/s", r.loss(), val, charsPerSecond));
        } else if (!quiet && (r.step() % LOG_EVERY == 0 || r.step() == total)) {
            System.err.printf(Locale.ROOT, "step %d/%d  loss %.4f%s  grad norm %.3f%s  %,.0f chars/s%n",
                    r.step(), total, r.loss(), val, r.gradientNorm(), r.clipped() ? " (clipped)" : "", charsPerSecond);
        }
    }

    void print(String message) {
        System.err.println();
        System.err.println(message);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}

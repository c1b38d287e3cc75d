package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.server.training.TrainingListener;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code rnn train} shows while it works: on a terminal a progress bar with the recent loss,
 * the last validation loss, chars/s and ETA (me.tongfei:progressbar); when the output is piped to a
 * file or a log, a plain line about every 100 steps instead, since a redrawn bar would fill a log
 * with carriage returns. Samples are printed as they come, like char-rnn's.
 */
final class TrainingProgress implements AutoCloseable {
    private static final int LOG_EVERY = 100;
    private final ProgressBar bar;     // null when not on a terminal
    private final boolean quiet;
    private long lastLogged;
    private Double validationLoss;

    private TrainingProgress(ProgressBar bar, boolean quiet, long done) {
        this.bar = bar;
        this.quiet = quiet;
        this.lastLogged = done;
    }

    static TrainingProgress open(boolean quiet, long done, long total) {
        if (quiet || System.console() == null) return new TrainingProgress(null, quiet, done);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(total)
                .startsFrom(done, java.time.Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .build();
        return new TrainingProgress(bar, false, done);
    }

    void step(StepReport r) {
        if (bar != null) bar.stepTo(r.step());
    }

    void progress(TrainingListener.Progress p) {
        if (p.validationLoss() != null) validationLoss = p.validationLoss();
        String val = validationLoss == null ? "" : String.format(Locale.ROOT, " val %.3f", validationLoss);
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f%s %,.0f ch/s", p.recentLoss(), val, p.pace().charsPerSecond()));
        } else if (!quiet && (p.step() / LOG_EVERY > lastLogged / LOG_EVERY || p.step() == p.totalSteps())) {
            lastLogged = p.step();
            System.err.printf(Locale.ROOT, "step %d/%d  loss %.4f%s  grad norm %.3f%s  %,.0f chars/s%n",
                    p.step(), p.totalSteps(), p.recentLoss(), val, p.gradientNorm(), p.clipped() ? " (clipped)" : "",
                    p.pace().charsPerSecond());
        }
    }

    void sample(long step, String text) {
        if (quiet) return;
        System.err.println();
        System.err.println("--- sample at step " + step + " ---\n" + text + "\n---");
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}

package dev.rnnplayground.server.job;

import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.train.TrainingDivergedException;

/**
 * Why a job failed, in the sentence its {@code failed} event and record carry: one wording for the
 * jobs this server trains ({@code JobRunner}) and the jobs a worker trains ({@code rnn worker}).
 */
public final class TrainingFailure {

    private TrainingFailure() {
    }

    /**
     * The reason for {@code e}, which ended the training.
     *
     * @param who "the server" or "the worker": who could not train it
     * @param log where the details of an unexpected error are: "the server log", "the worker's log"
     */
    public static String reason(Throwable e, String who, String log) {
        if (e instanceof TrainingDivergedException) return e.getMessage();
        if (e instanceof ModelFormatException) return "the job's checkpoint is damaged (" + e.getMessage() + ")";
        return who + " could not train this job (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); the details are in " + log;
    }

    /** Whether {@code e} is the job's own fault (it diverged, its checkpoint is damaged), not the program's: no stack trace needed. */
    public static boolean expected(Throwable e) {
        return e instanceof TrainingDivergedException || e instanceof ModelFormatException;
    }
}

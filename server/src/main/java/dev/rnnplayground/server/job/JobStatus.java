package dev.rnnplayground.server.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a training job is in its life: queued, running, then done, failed or cancelled. */
public enum JobStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }

    /** Done, failed or cancelled: nothing more will happen to the job. */
    public boolean isFinished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}

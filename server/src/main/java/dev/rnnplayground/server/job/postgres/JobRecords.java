package dev.rnnplayground.server.job.postgres;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.Job;
import dev.rnnplayground.server.job.JobStatus;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.Optional;

/**
 * A job's row in {@code rnn_jobs} as a worker sees it: what to train (the record the web node
 * queued, and its corpus from {@code rnn_corpora}), whether the learner cancelled it, and where it
 * stands ({@code status}). Every write is fenced by the worker's {@link Lease}; the end of a job
 * (model, status and last event) is one transaction, so the web node sees all of it or none.
 */
public final class JobRecords {

    /** What a worker trains: the job as queued, where it stands now, and the text of its corpus (null when missing). */
    public record Claimed(Job job, JobStatus status, String corpusText) {
    }

    /** How a job ended, for {@link #end}: the model is null when there is none to keep. */
    public record Ending(JobStatus status, byte[] model, String modelId, Map<String, Object> event, boolean keepCheckpoint) {
    }

    // the record may come from a newer web node: fields this version does not know are left alone
    private static final ObjectReader JOB = Jackson.MAPPER.readerFor(Job.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Database db;

    public JobRecords(Database db) {
        this.db = db;
    }

    /**
     * The job {@code jobId}, or empty when it has no row.
     *
     * @throws IOException when its record is not a job
     */
    public Optional<Claimed> read(String jobId) throws SQLException, IOException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT j.record::text, j.status, c.text"
                + " FROM rnn_jobs j LEFT JOIN rnn_corpora c ON c.id = j.record->'spec'->>'corpusId' WHERE j.id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return Optional.empty();
                return Optional.of(new Claimed(JOB.readValue(r.getString(1)), status(r.getString(2)), r.getString(3)));
            }
        }
    }

    /** Whether the learner asked to cancel the job (the web node sets the flag). */
    public boolean cancelRequested(String jobId) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT cancel_requested FROM rnn_jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /**
     * Sets where the job stands: {@code running} once claimed, {@code queued} again when the worker stops.
     *
     * @throws LeaseLostException when another worker holds the job now; nothing is written
     */
    public void setStatus(Lease lease, JobStatus status) throws SQLException {
        Fence.write(db, lease, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET status = ? WHERE id = ?")) {
                s.setString(1, status.id());
                s.setString(2, lease.jobId());
                return s.executeUpdate();
            }
        });
    }

    /**
     * Ends the job in one transaction: the model's bytes as a large object, its id, the status, the
     * last event (named after the status), and the checkpoint deleted unless it is kept (a cancelled
     * job's, to resume from).
     *
     * @throws LeaseLostException when another worker holds the job now; nothing is written
     */
    public void end(Lease lease, Ending ending) throws SQLException {
        Fence.write(db, lease, c -> {
            Long modelOid = ending.model() == null ? null : LargeObjects.write(c, ending.model(), "the model of job " + lease.jobId());
            try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET status = ?, model_oid = ?, model_id = ? WHERE id = ?")) {
                s.setString(1, ending.status().id());
                s.setObject(2, modelOid, Types.BIGINT);
                s.setString(3, ending.modelId());
                s.setString(4, lease.jobId());
                s.executeUpdate();
            }
            if (!ending.keepCheckpoint()) Checkpoints.delete(c, lease.jobId());
            return Events.insert(c, lease.jobId(), ending.status().id(), ending.event());
        });
    }

    private static JobStatus status(String id) {
        for (JobStatus s : JobStatus.values()) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("unknown job status '" + id + "'");
    }
}

package dev.rnnplayground.server.job.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The web node's side of the queue: a new job is its row in {@code rnn_jobs} and its row in
 * db-scheduler's table, written in one transaction, so no worker can claim a job whose record is
 * missing and no record waits without a queue entry. The queue row is the one db-scheduler's own
 * {@code schedule} writes (version 1, not picked, due now); it carries the job id and no payload.
 * The job's corpus goes into {@code rnn_corpora} in the same transaction.
 */
public final class JobQueue {

    private final Database db;

    public JobQueue(Database db) {
        this.db = db;
    }

    /** The text a job trains on, as a worker on another machine reads it from {@code rnn_corpora}. */
    public record CorpusText(String id, String name, String text) {
    }

    /** Queues job {@code jobId}, whose record (the {@code Job} as JSON) is {@code recordJson}. */
    public void enqueue(String jobId, String recordJson) throws SQLException {
        enqueue(jobId, recordJson, null);
    }

    /**
     * Queues job {@code jobId} and, in the same transaction, copies its corpus into
     * {@code rnn_corpora} (once: a corpus is never changed, so a second job on it finds it there).
     */
    public void enqueue(String jobId, String recordJson, CorpusText corpus) throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try {
                if (corpus != null) {
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO rnn_corpora (id, name, text) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                        s.setString(1, corpus.id());
                        s.setString(2, corpus.name());
                        s.setString(3, corpus.text());
                        s.executeUpdate();
                    }
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO rnn_jobs (id, record) VALUES (?, ?::json)")) {
                    s.setString(1, jobId);
                    s.setString(2, recordJson);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("INSERT INTO scheduled_tasks"
                        + " (task_name, task_instance, execution_time, picked, version) VALUES (?, ?, now(), false, 1)")) {
                    s.setString(1, Lease.TASK);
                    s.setString(2, jobId);
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}

package dev.rnnplayground.server.job.postgres;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.job.Job;
import dev.rnnplayground.server.job.ProgressHistory;
import dev.rnnplayground.server.training.ModelNotes;
import dev.rnnplayground.server.training.TrainingListener;
import dev.rnnplayground.server.training.TrainingLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * The worker's side of the contract between {@code rnn serve --database} and {@code rnn worker}
 * (docs/scale.md), for the web node's tests: it reads a claimed job's record and corpus as a
 * worker on another machine would, marks it running, trains it with the real
 * {@link WorkerTraining}, and ends it with the contract's one fenced transaction (the model's
 * bytes as a large object, {@code model_oid}, {@code model_id}, {@code status} and the final event).
 * {@code rnn worker} itself is built beside this; these are the writes the web node must follow.
 */
final class ContractWorker {

    /** What a finished job left: the model's id and the exact bytes stored. */
    record Stored(String modelId, byte[] bytes) {
    }

    private final Database db;

    ContractWorker(Database db) {
        this.db = db;
    }

    /** Trains the claimed job to its end and stores its model, as {@code rnn worker} does. */
    Stored train(Lease lease) throws SQLException {
        Job job = record(lease.jobId());
        String text = corpusText(job.spec().corpusId());
        markRunning(lease);
        TrainConfig config = job.spec().toConfig();
        WorkerTraining.Result result = new WorkerTraining(lease, db).run(config, text, Engines.fastest());
        if (result.outcome() != TrainingLoop.Outcome.FINISHED) throw new IllegalStateException("the job stopped: " + result);
        // the final event repeats the last progress point's loss and time, as JobRunner's does
        Map<String, Object> last = Map.of();
        for (ProgressHistory.Event e : new Events(db).after(lease.jobId(), 0)) if (e.type().equals("progress")) last = e.data();
        double valLoss = result.trainer().validationLoss();
        return end(lease, "done", result.trainer().model(), config, job.corpusName(), result.trainer().stepsDone(),
                ((Number) last.get("loss")).doubleValue(), Double.isFinite(valLoss) ? valLoss : null,
                ((Number) last.get("trainingSeconds")).doubleValue());
    }

    /** Marks the claimed job running, under the fence, as a worker does when it starts. */
    void markRunning(Lease lease) throws SQLException {
        Fence.write(db, lease, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET status = 'running' WHERE id = ?")) {
                s.setString(1, lease.jobId());
                return s.executeUpdate();
            }
        });
    }

    /** Whether the web node asked to cancel the job. */
    boolean cancelRequested(String jobId) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT cancel_requested FROM rnn_jobs WHERE id = ?")) {
            s.setString(1, jobId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    /**
     * The end of a job, in one transaction fenced by the lease: the model's file (with the notes
     * {@code ModelNotes} writes) into a large object, its oid and id, the status, and the final
     * event with the fields {@code JobRunner.finish} puts in it.
     */
    Stored end(Lease lease, String status, LanguageModel model, TrainConfig config, String corpusName, long steps,
               Double loss, Double valLoss, double trainingSeconds) throws SQLException {
        byte[] bytes = ModelFile.write(model, DType.F32, ModelNotes.of(config, corpusName, "a worker",
                new TrainingListener.Summary(steps, loss, valLoss, trainingSeconds, 0)));
        String modelId = Ids.newId(Ids.Kind.MODEL);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", steps);
        data.put("modelId", modelId);
        data.put("loss", loss);
        data.put("valLoss", valLoss);
        data.put("trainingSeconds", trainingSeconds);
        Fence.write(db, lease, c -> {
            LargeObjectManager objects = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = objects.createLO(LargeObjectManager.READWRITE);
            LargeObject lo = objects.open(oid, LargeObjectManager.WRITE);
            try (OutputStream out = lo.getOutputStream()) {
                out.write(bytes);
            } catch (IOException e) {
                throw new SQLException(e);
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE rnn_jobs SET model_oid = ?, model_id = ?, status = ? WHERE id = ?")) {
                s.setLong(1, oid);
                s.setString(2, modelId);
                s.setString(3, status);
                s.setString(4, lease.jobId());
                s.executeUpdate();
            }
            return Events.insert(c, lease.jobId(), status, data);
        });
        return new Stored(modelId, bytes);
    }

    /** The job's record as the web node queued it. */
    Job record(String jobId) throws SQLException {
        String json = string("SELECT record::text FROM rnn_jobs WHERE id = ?", jobId);
        try {
            return Jackson.MAPPER.readValue(json, Job.class);
        } catch (IOException e) {
            throw new SQLException("job " + jobId + ": unreadable record", e);
        }
    }

    String corpusText(String corpusId) throws SQLException {
        return string("SELECT text FROM rnn_corpora WHERE id = ?", corpusId);
    }

    private String string(String sql, String key) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) throw new SQLException("nothing for " + key + ": " + sql);
                return r.getString(1);
            }
        }
    }
}

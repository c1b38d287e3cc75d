-- The tables a web node and its workers share when rnn serve / rnn worker are given --database.
-- Applied at every start, under an advisory lock (two processes starting at once must not both
-- create a table); each statement does nothing when its object already exists.

-- db-scheduler's one table, as its PostgreSQL schema for 16.x has it: the queue. A worker claims a
-- job by picking its row (picked, picked_by, version + 1), keeps it with last_heartbeat, and a job
-- whose heartbeat stops is revived for another worker (version + 1 again). task_instance is our job
-- id; task_data stays null: the job's spec lives in rnn_jobs, never Java-serialized.
CREATE TABLE IF NOT EXISTS scheduled_tasks (
  task_name text NOT NULL,
  task_instance text NOT NULL,
  task_data bytea,
  execution_time timestamp with time zone NOT NULL,
  picked boolean NOT NULL,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures int,
  last_heartbeat timestamp with time zone,
  version bigint NOT NULL,
  priority smallint,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- One row per job: the record job.json holds on one machine, and where its last checkpoint is.
-- (json, not jsonb: it keeps the text as written, so fields come back in their order.)
-- Checkpoints are large objects (streamed in and out in chunks; a bytea is read whole into memory
-- by the JDBC driver), pointed to by checkpoint_oid; replacing one unlinks the old in the same transaction.
CREATE TABLE IF NOT EXISTS rnn_jobs (
  id text PRIMARY KEY,
  record json NOT NULL,
  checkpoint_oid oid,
  checkpoint_step bigint,
  created_at timestamp with time zone NOT NULL DEFAULT now()
);

-- What a job has reported, in order (ProgressHistory on one machine): the web node streams these to
-- the page (SSE) for a job a worker trains. id is the 1-based position, the SSE event id. A resumed
-- job deletes the suffix after its checkpoint's step, which it then reports again.
CREATE TABLE IF NOT EXISTS rnn_job_events (
  job_id text NOT NULL REFERENCES rnn_jobs (id) ON DELETE CASCADE,
  id bigint NOT NULL,
  type text NOT NULL,
  data json NOT NULL,
  PRIMARY KEY (job_id, id)
);

-- The texts jobs train on: the web node copies a job's corpus here in the transaction that queues it, so a worker on another machine reads it.
CREATE TABLE IF NOT EXISTS rnn_corpora (id text PRIMARY KEY, name text NOT NULL, text text NOT NULL);
-- Where a job stands, for the web node (the record keeps the spec as queued); written by the worker under the fence.
ALTER TABLE rnn_jobs ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'queued';   -- JobStatus.id(): queued, running, done, failed, cancelled
ALTER TABLE rnn_jobs ADD COLUMN IF NOT EXISTS cancel_requested boolean NOT NULL DEFAULT false;  -- set by the web node; the worker stops at its next step
ALTER TABLE rnn_jobs ADD COLUMN IF NOT EXISTS model_oid oid;        -- the trained model's .safetensors bytes, a large object
ALTER TABLE rnn_jobs ADD COLUMN IF NOT EXISTS model_id text;        -- the id the web node lists it under (Ids.Kind.MODEL), chosen by the worker

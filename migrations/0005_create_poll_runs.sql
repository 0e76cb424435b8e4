-- One row per poll of a source: when, by whom, how it went.
CREATE TABLE poll_runs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id         bigint      NOT NULL REFERENCES sources (id),
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz NOT NULL,
    outcome           text        NOT NULL CHECK (outcome IN ('ok', 'readFailed', 'writeFailed')),
    error_code        text,
    error_message     text,
    packages_seen     integer     NOT NULL DEFAULT 0,
    snapshots_written integer     NOT NULL DEFAULT 0,
    packages_released integer     NOT NULL DEFAULT 0,
    replica           text
);

CREATE INDEX poll_runs_source_started_idx ON poll_runs (source_id, started_at DESC);

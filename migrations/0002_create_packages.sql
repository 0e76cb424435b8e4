-- The latest normalised state of every package ever seen, one row per (provider, account, region, id);
-- a source is one (provider, account, region), so (source_id, package_id) is the key.
-- Rows are only rewritten when something changed (or for the hourly heartbeat), so polling often
-- does not churn this table. A package's "observed at" for the API is its source's last success
-- while it is listed, and released_at once it is gone.
CREATE TABLE packages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id        bigint      NOT NULL REFERENCES sources (id),
    provider         text        NOT NULL,
    account          text        NOT NULL,
    region           text        NOT NULL,
    package_id       text        NOT NULL,
    policy           text        NOT NULL CHECK (policy IN ('fullTime', 'offPeak')),
    line_type        text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('active', 'usedUp', 'expired', 'released')),
    capacity_bytes   bigint      NOT NULL,
    used_bytes       bigint      NOT NULL,
    remaining_bytes  bigint      GENERATED ALWAYS AS (greatest(capacity_bytes - used_bytes, 0)) STORED,
    used_ratio       double precision GENERATED ALWAYS AS (
                         CASE WHEN capacity_bytes > 0
                              THEN least(1.0, used_bytes::double precision / capacity_bytes) ELSE 0 END) STORED,
    created_at       timestamptz NOT NULL,
    activated_at     timestamptz,
    expires_at       timestamptz NOT NULL,
    first_seen_at    timestamptz NOT NULL,
    -- last time this row was written from a poll (change or heartbeat)
    last_seen_at     timestamptz NOT NULL,
    last_snapshot_at timestamptz,
    released_at      timestamptz,
    raw              jsonb       NOT NULL
);

CREATE UNIQUE INDEX packages_source_package_idx ON packages (source_id, package_id);
CREATE INDEX packages_expires_idx ON packages (expires_at, id);
CREATE INDEX packages_used_ratio_idx ON packages (used_ratio, id);
CREATE INDEX packages_remaining_idx ON packages (remaining_bytes, id);
CREATE INDEX packages_account_region_idx ON packages (account, region);
CREATE INDEX packages_status_idx ON packages (status) WHERE status <> 'released';

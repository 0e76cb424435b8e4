-- Observations of a package: written when used bytes or status changed, plus one heartbeat per
-- package per hour, so the table grows with consumption and not with the polling frequency.
CREATE TABLE snapshots (
    package_pk     bigint      NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    observed_at    timestamptz NOT NULL,
    used_bytes     bigint      NOT NULL,
    capacity_bytes bigint      NOT NULL,
    status         text        NOT NULL,
    PRIMARY KEY (package_pk, observed_at)
);

-- Compaction scans by time.
CREATE INDEX snapshots_observed_brin ON snapshots USING brin (observed_at);

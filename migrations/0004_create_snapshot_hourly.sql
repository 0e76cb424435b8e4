-- Hourly rollups of snapshots older than the raw retention (default 90 days), kept 400 days.
CREATE TABLE snapshot_hourly (
    package_pk      bigint      NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    source_id       bigint      NOT NULL REFERENCES sources (id),
    hour            timestamptz NOT NULL,
    used_bytes_min  bigint      NOT NULL,
    used_bytes_max  bigint      NOT NULL,
    used_bytes_last bigint      NOT NULL,
    capacity_bytes  bigint      NOT NULL,
    status          text        NOT NULL,
    last_observed_at timestamptz NOT NULL,
    samples         integer     NOT NULL,
    PRIMARY KEY (package_pk, hour)
);

CREATE INDEX snapshot_hourly_source_hour_idx ON snapshot_hourly (source_id, hour);

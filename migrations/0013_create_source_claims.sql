-- Which replica's configuration names which source, as of its last heartbeat. A source is polled while a live
-- replica (one whose claim was renewed recently) names it, so replicas running different configurations during a
-- rolling update never stop each other's sources; a source that no live replica names is disabled once the last
-- claim on it goes stale. Each replica polls only the sources its own configuration names, with its own endpoint.
CREATE TABLE source_claims (
    replica               text        NOT NULL,
    source_id             bigint      NOT NULL REFERENCES sources (id),
    endpoint              text        NOT NULL,
    poll_interval_seconds integer     NOT NULL CHECK (poll_interval_seconds > 0),
    seen_at               timestamptz NOT NULL,
    PRIMARY KEY (replica, source_id)
);
CREATE INDEX source_claims_source ON source_claims (source_id, seen_at);

-- Replicas from before this migration do not heartbeat: their enabled sources count as named by them as of now,
-- so they stay polled until that claim goes stale (a few minutes), unless a new replica names them too.
INSERT INTO source_claims (replica, source_id, endpoint, poll_interval_seconds, seen_at)
SELECT 'pre-0013', id, endpoint, poll_interval_seconds, now() FROM sources WHERE enabled;

-- One upstream source: an (account, region) pair of one provider, with its poll health and schedule.
CREATE TABLE sources (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider              text        NOT NULL,
    account               text        NOT NULL,
    region                text        NOT NULL,
    endpoint              text        NOT NULL,
    poll_interval_seconds integer     NOT NULL DEFAULT 300 CHECK (poll_interval_seconds > 0),
    enabled               boolean     NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    -- health
    last_attempt_at       timestamptz,
    last_success_at       timestamptz,
    last_error_at         timestamptz,
    last_error_code       text,
    last_error_message    text,
    consecutive_failures  integer     NOT NULL DEFAULT 0,
    last_latency_ms       integer,
    -- schedule and lease: a replica claims a due source by moving next_poll_at one interval ahead
    next_poll_at          timestamptz NOT NULL DEFAULT now(),
    lease_owner           text,
    lease_until           timestamptz,
    UNIQUE (provider, account, region)
);

CREATE INDEX sources_due_idx ON sources (next_poll_at) WHERE enabled;

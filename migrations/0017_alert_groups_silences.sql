-- Alert operations (issue 16): notification groups, silences, and the package statuses the engine last saw.

-- An outbox row belongs to the group (budget_id, channel_id): every due row of a group goes out as one message.
-- Rows written before this migration have no budget and are each their own group.
ALTER TABLE deliveries ADD COLUMN budget_id text;
CREATE INDEX deliveries_group_idx ON deliveries (channel_id, budget_id, next_attempt_at) WHERE state = 'pending';

-- Timing of each (budget, channel) group, kept here (not in memory) so a restart or kill -9 loses nothing:
-- `next_flush_at` is when its waiting rows are due (their next_attempt_at), `last_flush_at` when rows were last
-- claimed for a message; a new change waits for max(now + groupWait, last_flush_at + groupInterval).
-- No reference to budgets: a deleted budget's resolved notices still go out through its group.
CREATE TABLE alert_groups (
    budget_id     text        NOT NULL,
    channel_id    text        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    next_flush_at timestamptz,
    last_flush_at timestamptz,
    PRIMARY KEY (budget_id, channel_id)
);

-- Silences: alerts matching every given matcher between starts_at and ends_at are evaluated and listed but send
-- nothing. DELETE ends a silence (ends_at = now) rather than removing it, so the record stays.
CREATE TABLE silences (
    id         text        PRIMARY KEY,
    seq        bigserial   NOT NULL UNIQUE,
    matchers   jsonb       NOT NULL,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    comment    text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at >= starts_at)
);
CREATE INDEX silences_ends_idx ON silences (ends_at);

-- The package statuses the alert engine evaluated last, so that a status change that happened while tpgw was
-- down is still noticed after a restart. Written (changes only) in the engine pass's transaction.
CREATE TABLE alert_seen_statuses (
    package_key text PRIMARY KEY,
    status      text NOT NULL
);

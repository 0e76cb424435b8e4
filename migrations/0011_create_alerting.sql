-- Budgets, channels, alerts and the delivery outbox (issue 6).

-- A budget: its validated JSON body (name, scope, rules, channels, repeat interval) and a version bumped on
-- every change. `seq` orders lists and paging.
CREATE TABLE budgets (
    id         text        PRIMARY KEY,
    seq        bigserial   NOT NULL UNIQUE,
    name       text        NOT NULL,
    body       jsonb       NOT NULL,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Where alerts go. `url` (often carrying a token) and `secret` are stored as given and never shown whole.
CREATE TABLE channels (
    id         text        PRIMARY KEY,
    seq        bigserial   NOT NULL UNIQUE,
    name       text        NOT NULL,
    format     text        NOT NULL,
    url        text        NOT NULL,
    secret     text,
    language   text        NOT NULL DEFAULT 'en',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per (budget, rule, subject): the state machine's state as JSON plus the columns lists filter on.
CREATE TABLE alerts (
    id               bigserial   PRIMARY KEY,
    fingerprint      text        NOT NULL UNIQUE,
    budget_id        text        NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
    rule_index       integer     NOT NULL,
    kind             text        NOT NULL,
    subject          text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('firing', 'resolved')),
    level            integer     NOT NULL,
    last_notified_at timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    body             jsonb       NOT NULL
);
CREATE INDEX alerts_state_idx ON alerts (state, id);
CREATE INDEX alerts_budget_idx ON alerts (budget_id, id);
CREATE INDEX alerts_subject_idx ON alerts (subject, id);

-- The engine's single-writer token: evaluations lock this row, and `version` tells a replica whether its
-- cached alert states are still current.
CREATE TABLE alert_engine (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL
);
INSERT INTO alert_engine (id, version) VALUES (1, 0);

-- The outbox: one row per (alert event, channel), written in the transaction of the alert transition.
-- `payload` holds the event(s) as JSON. The dispatcher claims due rows with FOR UPDATE SKIP LOCKED and a lease
-- (`claimed_by`, `claim_until`); a claim that was never recorded expires and the row is sent again, same id.
CREATE TABLE deliveries (
    id              text        PRIMARY KEY,
    seq             bigserial   NOT NULL UNIQUE,
    alert_id        bigint      REFERENCES alerts (id) ON DELETE CASCADE,
    channel_id      text        NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    event_kind      text        NOT NULL,
    payload         jsonb       NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    claimed_by      text,
    claim_until     timestamptz,
    delivered_at    timestamptz,
    folded_into     text,
    last_error      text
);
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at, seq) WHERE state = 'pending';
CREATE INDEX deliveries_state_idx ON deliveries (state, seq);
CREATE INDEX deliveries_alert_idx ON deliveries (alert_id);

-- Every send of a delivery: HTTP status (null without a response), latency, error, and a short response excerpt.
CREATE TABLE delivery_attempts (
    id               bigserial   PRIMARY KEY,
    delivery_id      text        NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempted_at     timestamptz NOT NULL,
    status           integer,
    latency_ms       integer     NOT NULL,
    outcome          text        NOT NULL,
    error            text,
    response_excerpt text
);
CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id);

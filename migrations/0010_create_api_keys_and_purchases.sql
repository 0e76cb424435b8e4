-- API keys (only hashes are stored) and the purchase ledger: idempotency and audit.

CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    name         text        NOT NULL,
    key_hash     text        NOT NULL UNIQUE,
    scopes       text[]      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;

-- One row per (account, Idempotency-Key): the first request's canonical body and its final result.
CREATE TABLE purchases (
    account             text        NOT NULL,
    idempotency_key     text        NOT NULL,
    request_canonical   text        NOT NULL,
    request_body        jsonb       NOT NULL,
    client_token        text        NOT NULL,
    caller              text        NOT NULL,
    state               text        NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
    region              text        NOT NULL,
    package_id          text,
    response_status     integer,
    response_body       bytea,
    upstream_request_id text,
    error_code          text,
    error_message       text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, idempotency_key)
);

-- Every attempt, successful or not, for audit.
CREATE TABLE purchase_attempts (
    id                  bigserial PRIMARY KEY,
    account             text        NOT NULL,
    idempotency_key     text        NOT NULL,
    caller              text        NOT NULL,
    request_body        jsonb       NOT NULL,
    outcome             text        NOT NULL,
    package_id          text,
    upstream_request_id text,
    error_code          text,
    error_message       text,
    at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX purchase_attempts_key ON purchase_attempts (account, idempotency_key, at);

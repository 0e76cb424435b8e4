-- Audit (issue 16): every change to budgets, channels, silences, acknowledgements and API keys, and every purchase,
-- with the acting key's name, the time and a redacted before/after (secrets and webhook URL tokens never stored
-- here). Written in the transaction of the change. Entries older than 400 days are deleted by the maintenance job.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    action      text        NOT NULL,
    target_type text        NOT NULL,
    target_id   text        NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id);

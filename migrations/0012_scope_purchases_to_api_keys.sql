-- Purchases are idempotent per (API key, Idempotency-Key), not per (account, Idempotency-Key): the same key
-- sent by two teams is two purchases. Each row gets an id (for GET /v1/purchases/{id}), the key that asked,
-- and what the background reconciler needs to settle a row left `pending` by a crash or a lost response.

ALTER TABLE purchases ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE purchases ADD COLUMN api_key_id bigint;

-- Rows from before this migration name their caller only by key name: attribute each to the most recent key
-- of that name. When that would make two rows share (key, Idempotency-Key) (the same caller used one key for
-- two accounts), the later rows stay unattributed (NULL): they are kept for the audit, never matched again.
UPDATE purchases p SET api_key_id = k.id
FROM (SELECT DISTINCT ON (name) name, id FROM api_keys ORDER BY name, (revoked_at IS NULL) DESC, created_at DESC) k
WHERE k.name = p.caller;
UPDATE purchases p SET api_key_id = NULL
FROM (SELECT id, row_number() OVER (PARTITION BY api_key_id, idempotency_key ORDER BY created_at, id) AS n
      FROM purchases WHERE api_key_id IS NOT NULL) d
WHERE d.id = p.id AND d.n > 1;

ALTER TABLE purchases DROP CONSTRAINT purchases_pkey;
ALTER TABLE purchases ADD PRIMARY KEY (id);
ALTER TABLE purchases ADD CONSTRAINT purchases_api_key_idempotency_key UNIQUE (api_key_id, idempotency_key);

-- `unknown`: the reconciler gave up (see error_code / error_message for what it checked).
ALTER TABLE purchases DROP CONSTRAINT purchases_state_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_state_check CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown'));

-- Reconciliation: a pending row is re-checked upstream once its lease has run out; a check takes a new lease,
-- so replicas never check the same row at once.
ALTER TABLE purchases ADD COLUMN lease_until timestamptz NOT NULL DEFAULT now();
ALTER TABLE purchases ADD COLUMN checks integer NOT NULL DEFAULT 0;
ALTER TABLE purchases ADD COLUMN last_checked_at timestamptz;
CREATE INDEX purchases_pending ON purchases (lease_until) WHERE state = 'pending';
CREATE INDEX purchases_created ON purchases (id DESC);

ALTER TABLE purchase_attempts ADD COLUMN purchase_id bigint;
UPDATE purchase_attempts a SET purchase_id = p.id FROM purchases p
WHERE p.account = a.account AND p.idempotency_key = a.idempotency_key AND p.caller = a.caller;
CREATE INDEX purchase_attempts_purchase ON purchase_attempts (purchase_id, at);

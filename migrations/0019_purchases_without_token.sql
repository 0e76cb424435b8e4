-- Purchases through a provider without an idempotency token (Tencent Cloud, issue 13).
-- provider:       the account's cloud when the purchase was made (rows from before are Baidu's).
-- package_ids:    every package one purchase bought (Tencent buys 1-20 at once); package_id stays the first.
-- attempted_at:   set, and committed, just before the one create is sent; a row with it set is never sent again,
--                 only reconciled by listing the region for packages created since then.
-- reconciliation: what the reconciliation of an ambiguous create checked (listings, window, candidates, result).
ALTER TABLE purchases ADD COLUMN provider text NOT NULL DEFAULT 'bce';
ALTER TABLE purchases ADD COLUMN package_ids text[];
ALTER TABLE purchases ADD COLUMN attempted_at timestamptz;
ALTER TABLE purchases ADD COLUMN reconciliation jsonb;
UPDATE purchases SET package_ids = ARRAY[package_id] WHERE package_id IS NOT NULL;
-- Packages already claimed by a purchase in one account and region (a reconciliation never claims them twice).
CREATE INDEX purchases_claimed_packages ON purchases (account, region) WHERE package_ids IS NOT NULL;

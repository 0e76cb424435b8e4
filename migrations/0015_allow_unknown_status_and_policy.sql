-- A status or deduct policy the provider sends that tpgw does not know (e.g. BCE `FROZEN`) is stored as
-- 'unknown' instead of failing the poll of the whole region (issue 11). The raw column keeps the original.
ALTER TABLE packages DROP CONSTRAINT packages_policy_check;
ALTER TABLE packages ADD CONSTRAINT packages_policy_check CHECK (policy IN ('fullTime', 'offPeak', 'unknown'));
ALTER TABLE packages DROP CONSTRAINT packages_status_check;
ALTER TABLE packages ADD CONSTRAINT packages_status_check CHECK (status IN ('active', 'usedUp', 'expired', 'released', 'unknown'));

-- Tencent Cloud packages can end early: REFUNDED and DELETED are states of their own (not expired, not released);
-- their history stays (issue 13).
ALTER TABLE packages DROP CONSTRAINT packages_status_check;
ALTER TABLE packages ADD CONSTRAINT packages_status_check
    CHECK (status IN ('active', 'usedUp', 'expired', 'released', 'refunded', 'deleted', 'unknown'));

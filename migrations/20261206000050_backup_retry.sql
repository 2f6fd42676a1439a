-- A job retried within its day (the daily backup): how many attempts of
-- the day failed, and when the next one is due (NULL: none). While an
-- attempt runs, `retry_at` is its lease: an attempt that never finished
-- (the process stopped) is tried again once the lease has passed.
ALTER TABLE housekeeping ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE housekeeping ADD COLUMN retry_at TEXT;

-- Issue 9: a million members on one machine.

-- Pending items of a cell, oldest first (/pending, the digest's counts):
-- small partial indexes, never a scan of every report or membership.
CREATE INDEX reports_pending_cell ON reports(cell_id, created_at) WHERE status = 'pending';
CREATE INDEX memberships_pending_cell ON memberships(cell_id) WHERE status = 'pending';

-- A member's reports by status, date and kind: the year's sheet, the early
-- warning and the round's counts read the index alone (covering).
DROP INDEX reports_membership;
CREATE INDEX reports_membership ON reports(membership_id, status, activity_date, kind_id);
-- A user's reports by date with their status (the round's counts).
DROP INDEX reports_user_date;
CREATE INDEX reports_user_date ON reports(user_id, activity_date, status);

-- Pruning by age, in small batches.
CREATE INDEX processed_updates_at ON processed_updates(processed_at);
CREATE INDEX decision_messages_settled ON decision_messages(settled_at)
    WHERE settled_at IS NOT NULL;
CREATE INDEX outbox_done ON outbox(COALESCE(sent_at, not_before)) WHERE status <> 'queued';

-- When daily housekeeping (pruning) last ran, so it runs once a day and
-- catches up once after a restart.
CREATE TABLE housekeeping (
    job         TEXT PRIMARY KEY,
    last_day    TEXT NOT NULL
);

-- The monthly round is queued in short transactions, cell after cell: a
-- round being queued is not finished even if its queue is empty, and it
-- resumes after the last cell (or secretary) it queued.
ALTER TABLE broadcasts ADD COLUMN queuing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN queued_through INTEGER;

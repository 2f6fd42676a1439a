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

-- Per member and month: reports that count (pending or approved) and
-- approved ones, by the month of the activity. "Who is silent this month"
-- reads one row per member instead of counting reports. Kept by triggers,
-- in the same transaction as every change to a report (submission,
-- decision, anything else), so it never drifts.
CREATE TABLE member_months (
    user_id     INTEGER NOT NULL,
    month       TEXT NOT NULL,          -- YYYY-MM
    reports     INTEGER NOT NULL,       -- pending or approved
    approved    INTEGER NOT NULL,
    PRIMARY KEY (user_id, month)
) WITHOUT ROWID;

INSERT INTO member_months (user_id, month, reports, approved)
SELECT user_id, substr(activity_date, 1, 7), SUM(status <> 'rejected'), SUM(status = 'approved')
FROM reports GROUP BY user_id, substr(activity_date, 1, 7);

CREATE TRIGGER member_months_insert AFTER INSERT ON reports
BEGIN
    INSERT INTO member_months (user_id, month, reports, approved)
    VALUES (NEW.user_id, substr(NEW.activity_date, 1, 7),
            NEW.status <> 'rejected', NEW.status = 'approved')
    ON CONFLICT (user_id, month) DO UPDATE
    SET reports = reports + excluded.reports, approved = approved + excluded.approved;
END;

CREATE TRIGGER member_months_update AFTER UPDATE OF status, activity_date, user_id ON reports
BEGIN
    UPDATE member_months
    SET reports = reports - (OLD.status <> 'rejected'), approved = approved - (OLD.status = 'approved')
    WHERE user_id = OLD.user_id AND month = substr(OLD.activity_date, 1, 7);
    INSERT INTO member_months (user_id, month, reports, approved)
    VALUES (NEW.user_id, substr(NEW.activity_date, 1, 7),
            NEW.status <> 'rejected', NEW.status = 'approved')
    ON CONFLICT (user_id, month) DO UPDATE
    SET reports = reports + excluded.reports, approved = approved + excluded.approved;
END;

CREATE TRIGGER member_months_delete AFTER DELETE ON reports
BEGIN
    UPDATE member_months
    SET reports = reports - (OLD.status <> 'rejected'), approved = approved - (OLD.status = 'approved')
    WHERE user_id = OLD.user_id AND month = substr(OLD.activity_date, 1, 7);
END;

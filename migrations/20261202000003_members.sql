-- Issue 8, members move and change; rejected reports come back.

-- A membership ends as status 'left' with why and when. A move's new
-- membership points at the one it moves from.
ALTER TABLE memberships ADD COLUMN ended_at TEXT;
ALTER TABLE memberships ADD COLUMN end_reason TEXT
    CHECK (end_reason IS NULL OR end_reason IN ('moved', 'left_area', 'retired', 'transferred'));
ALTER TABLE memberships ADD COLUMN end_note TEXT;
ALTER TABLE memberships ADD COLUMN ended_by INTEGER REFERENCES users(id);
ALTER TABLE memberships ADD COLUMN moved_from INTEGER REFERENCES memberships(id);

-- One approved membership per user, and one pending request (a first
-- join, or a move while the approved membership lasts).
DROP INDEX memberships_one_active;
CREATE UNIQUE INDEX memberships_one_approved ON memberships(user_id) WHERE status = 'approved';
CREATE UNIQUE INDEX memberships_one_pending ON memberships(user_id) WHERE status = 'pending';
CREATE INDEX memberships_user ON memberships(user_id, status);

-- Workplace changes made through /profile, shown to the officers of both
-- workplaces.
CREATE TABLE workplace_changes (
    id                  INTEGER PRIMARY KEY,
    membership_id       INTEGER NOT NULL REFERENCES memberships(id),
    from_workplace_id   INTEGER REFERENCES workplaces(id),
    from_workplace_name TEXT,
    to_workplace_id     INTEGER REFERENCES workplaces(id),
    to_workplace_name   TEXT,
    changed_at          TEXT NOT NULL
);
CREATE INDEX workplace_changes_membership ON workplace_changes(membership_id, changed_at);
CREATE INDEX workplace_changes_from ON workplace_changes(from_workplace_id, changed_at);

-- A resubmission after a rejection points at the rejected report; a
-- rejected report is resubmitted at most once.
ALTER TABLE reports ADD COLUMN previous_id INTEGER REFERENCES reports(id);
CREATE UNIQUE INDEX reports_one_resubmission ON reports(previous_id) WHERE previous_id IS NOT NULL;

-- Telegram's stable id of the photo, to spot the same photo sent twice.
ALTER TABLE report_photos ADD COLUMN file_unique_id TEXT;
CREATE INDEX report_photos_unique ON report_photos(file_unique_id) WHERE file_unique_id IS NOT NULL;

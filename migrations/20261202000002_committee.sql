-- Issue 8, the cell's committee: deputy secretaries, handover codes and
-- the escalation of items left pending.

-- At most one deputy secretary (phó bí thư) per cell; a new one replaces
-- the old (audited).
CREATE TABLE cell_deputies (
    cell_id     INTEGER PRIMARY KEY REFERENCES cells(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    since       TEXT NOT NULL
);
CREATE INDEX cell_deputies_user ON cell_deputies(user_id);

-- What a single-use cell code grants beyond its kind: NULL (as the kind
-- says), 'deputy' (kind 'secretary', makes a deputy secretary) or
-- 'handover' (kind 'secretary', issued while the cell had a secretary).
ALTER TABLE invites ADD COLUMN grants TEXT;

-- Each escalation step of a pending item happens once: 1 = offered to the
-- deputy after 7 days, 2 = the ward's supervisors told after 14 days.
CREATE TABLE escalations (
    subject     TEXT NOT NULL CHECK (subject IN ('membership', 'report')),
    subject_id  INTEGER NOT NULL,
    step        INTEGER NOT NULL CHECK (step IN (1, 2)),
    at          TEXT NOT NULL,
    PRIMARY KEY (subject, subject_id, step)
);

-- The escalation looks at every tick: pending items by age.
CREATE INDEX reports_created_status ON reports(created_at, status);
CREATE INDEX memberships_pending_requested ON memberships(requested_at) WHERE status = 'pending';

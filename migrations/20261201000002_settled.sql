-- When a decision card was edited to show the decision (and lost its
-- buttons): a settled card is never edited again, since Telegram refuses
-- an edit that changes nothing ("message is not modified").
ALTER TABLE decision_messages ADD COLUMN settled_at TEXT;

-- Cards of items decided before this column existed were settled then.
UPDATE decision_messages
SET settled_at = (SELECT decided_at FROM memberships WHERE memberships.id = subject_id)
WHERE subject = 'membership'
  AND subject_id IN (SELECT id FROM memberships WHERE status <> 'pending' AND decided_at IS NOT NULL);
UPDATE decision_messages
SET settled_at = (SELECT decided_at FROM reports WHERE reports.id = subject_id)
WHERE subject = 'report'
  AND subject_id IN (SELECT id FROM reports WHERE status <> 'pending' AND decided_at IS NOT NULL);

-- A member approved into a cell after a meeting was called is invited too:
-- the invitation is made in the approval's transaction with `told = 0`, and
-- the scheduler queues its message and sets `told` in one transaction.
ALTER TABLE meeting_invitations ADD COLUMN told INTEGER NOT NULL DEFAULT 1;
CREATE INDEX meeting_invitations_untold ON meeting_invitations(meeting_id, membership_id)
    WHERE told = 0;

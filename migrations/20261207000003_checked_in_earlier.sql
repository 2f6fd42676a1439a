-- When a member had checked in for an earlier time of a meeting that was
-- moved since (a postponement resets the check-ins), until they check in
-- again: the notice of a further move still asks them to check in again,
-- though the notice of the first move was never sent (a second move made
-- while it waited, Telegram out of reach, makes it stale).
ALTER TABLE meeting_invitations ADD COLUMN checked_in_earlier TEXT;

-- A monthly round's reminders and digests still queued when the next
-- month's round falls due (an outage, a bot stopped for weeks) are not
-- sent beside it: each round knows when that is (NULL: never, for rounds
-- queued before this).
ALTER TABLE broadcasts ADD COLUMN expires_at TEXT;

-- An announcement's copies not sent because their reader left the cells it
-- went to (or ended their membership, or erased their data) while they
-- waited: their outbox rows are deleted, and counted here, so that the
-- final count is of everyone it was sent to.
ALTER TABLE broadcasts ADD COLUMN left_meanwhile INTEGER NOT NULL DEFAULT 0;

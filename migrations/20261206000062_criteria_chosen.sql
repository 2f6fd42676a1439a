-- The criteria of a draft the secretary chose (bit i: criterion i), so
-- that the others follow the evidence as it grows (a meeting held, a
-- report approved after the draft was opened). Drafts made before this
-- are taken as chosen in full: nothing already set moves.
ALTER TABLE sheets ADD COLUMN criteria_chosen INTEGER NOT NULL DEFAULT 0;
UPDATE sheets SET criteria_chosen = 63;

-- A broadcast's counts outlive its outbox rows: the daily pruning adds
-- the rows it deletes here, so `lienhe broadcasts` still shows a round
-- months later.
ALTER TABLE broadcasts ADD COLUMN pruned_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN pruned_unreachable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN pruned_failed INTEGER NOT NULL DEFAULT 0;

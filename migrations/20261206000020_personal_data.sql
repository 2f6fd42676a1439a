-- Personal data (issue 12): a user who asked to be forgotten (/forgetme)
-- is not recorded again by their Telegram name; dialogue states are
-- pruned by age.

ALTER TABLE users ADD COLUMN forgotten_at TEXT;

CREATE INDEX dialogues_updated ON dialogues(updated_at);

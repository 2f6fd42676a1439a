-- When the committee was reminded that a meeting's register was left open
-- after its check-in ended (once per meeting; a restart does not repeat it).
ALTER TABLE meetings ADD COLUMN register_reminded_at TEXT;

-- An officer may withdraw an introduction link not used yet (sent to the
-- wrong person, or opened by somebody it was not meant for): it can no
-- longer be opened or lead to a join request; the next Introduce makes a
-- new one.
ALTER TABLE introductions ADD COLUMN revoked_at TEXT;
ALTER TABLE introductions ADD COLUMN revoked_by INTEGER REFERENCES users(id);

-- Roster entry ids are never used again (AUTOINCREMENT): an import replaces
-- a workplace's roster as a whole, and without it the new rows would take
-- the old ids, so an Introduce button of an older /status would name
-- another person. Rebuilt with the same columns and index.
CREATE TABLE roster_entries_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workplace_id  INTEGER NOT NULL REFERENCES workplaces(id),
    line          INTEGER NOT NULL,
    full_name     TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    phone         TEXT,
    position      TEXT,
    birth_date    TEXT,
    imported_at   TEXT NOT NULL,
    upload_id     INTEGER NOT NULL REFERENCES roster_uploads(id)
);
INSERT INTO roster_entries_new
    (id, workplace_id, line, full_name, name_key, phone, position, birth_date, imported_at, upload_id)
SELECT id, workplace_id, line, full_name, name_key, phone, position, birth_date, imported_at, upload_id
FROM roster_entries;
DROP TABLE roster_entries;
ALTER TABLE roster_entries_new RENAME TO roster_entries;
CREATE INDEX roster_entries_workplace ON roster_entries (workplace_id, line);

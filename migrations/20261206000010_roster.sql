-- The workplace's roster (issue 11): the officer uploads the list of the
-- workplace's working party members; it is previewed, then imported as a
-- whole.

-- An uploaded roster waiting for Import or Cancel (24 hours at most). The
-- parsed rows wait here, not in memory, so a restart in between loses
-- nothing; `status` moves once from 'pending' (Import and Cancel are
-- conditional updates), so a redelivered Import imports once.
CREATE TABLE roster_uploads (
    id            INTEGER PRIMARY KEY,
    token         TEXT NOT NULL UNIQUE,
    -- NULL for `lienhe admin roster import`.
    officer_id    INTEGER REFERENCES users(id),
    workplace_id  INTEGER NOT NULL REFERENCES workplaces(id),
    rows_json     TEXT NOT NULL,
    row_count     INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'imported')),
    created_at    TEXT NOT NULL,
    imported_at   TEXT
);
CREATE INDEX roster_uploads_created ON roster_uploads (status, created_at);

-- The imported roster of a workplace: replaced as a whole at each import.
CREATE TABLE roster_entries (
    id            INTEGER PRIMARY KEY,
    workplace_id  INTEGER NOT NULL REFERENCES workplaces(id),
    line          INTEGER NOT NULL,
    full_name     TEXT NOT NULL,
    -- `domain::roster::match_key`: NFC, lower case, single spaces, accents
    -- folded.
    name_key      TEXT NOT NULL,
    -- 10 digits starting with 0 (`domain::roster::normalize_phone`).
    phone         TEXT,
    position      TEXT,
    birth_date    TEXT,
    imported_at   TEXT NOT NULL,
    upload_id     INTEGER NOT NULL REFERENCES roster_uploads(id)
);
CREATE INDEX roster_entries_workplace ON roster_entries (workplace_id, line);

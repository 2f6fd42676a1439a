-- Documents sent through the outbox (a signed sheet's DOCX and PDF):
-- rendered once, uploaded once, then resent by Telegram's file id.
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    sheet_id        INTEGER NOT NULL REFERENCES sheets(id),
    file_name       TEXT NOT NULL,
    bytes           BLOB NOT NULL,
    -- Telegram's file id, known after the first upload.
    file_id         TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (sheet_id, file_name)
);

-- When a signed sheet's deliveries were queued (once).
ALTER TABLE sheets ADD COLUMN delivery_queued_at TEXT;
-- Sheets signed before this version were delivered when they were signed.
UPDATE sheets SET delivery_queued_at = signed_at WHERE state = 'signed';
CREATE INDEX sheets_undelivered ON sheets(id) WHERE state = 'signed' AND delivery_queued_at IS NULL;

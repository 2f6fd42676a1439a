-- no-transaction
-- Comments on request (Regulation 213, "when needed": appointment,
-- commendation, discipline, transfer): a workplace officer asks the
-- member's residence cell for a comment over a period, drafted with the
-- same sheet workflow as the yearly comment.
--
-- The sheets table is rebuilt (SQLite cannot drop a table constraint): a
-- sheet is either the member's sheet of a year (`request_id` NULL, one per
-- member and year, as before) or the sheet answering one request. Run
-- outside sqlx's transaction so foreign keys can be switched off for the
-- rebuild (SQLite's documented procedure); the rebuild is one transaction
-- that keeps every row and id, so every reference stays valid.
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

CREATE TABLE comment_requests (
    id              INTEGER PRIMARY KEY,
    workplace_id    INTEGER NOT NULL REFERENCES workplaces(id),
    -- The officer who asked (gets the signed comment).
    officer_id      INTEGER NOT NULL REFERENCES users(id),
    membership_id   INTEGER NOT NULL REFERENCES memberships(id),
    reason_kind     TEXT NOT NULL
        CHECK (reason_kind IN ('appointment', 'commendation', 'discipline', 'transfer', 'other')),
    -- The typed reason, for 'other'.
    reason_text     TEXT,
    -- The period the evidence is counted over (local dates, both included).
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    -- The day the comment is due (local date).
    due_on          TEXT NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('requested', 'drafting', 'signed', 'cancelled')),
    -- The sheet drafted for it, once the secretary opened it.
    sheet_id        INTEGER REFERENCES sheets(id),
    -- The officer's draft token: Send makes one request.
    token           TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    signed_at       TEXT
);
CREATE INDEX comment_requests_officer ON comment_requests(officer_id, id);
CREATE INDEX comment_requests_membership ON comment_requests(membership_id);
CREATE INDEX comment_requests_open ON comment_requests(due_on)
    WHERE state IN ('requested', 'drafting');

CREATE TABLE sheets_new (
    id              INTEGER PRIMARY KEY,
    membership_id   INTEGER NOT NULL REFERENCES memberships(id),
    -- The year of a yearly sheet; for a requested one, the year its period ends.
    year            INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('draft', 'with_member', 'signed')),
    criteria        TEXT NOT NULL,
    remarks         TEXT NOT NULL DEFAULT '',
    sent_to_member_at TEXT,
    member_answer   TEXT,
    member_response TEXT,
    member_answered_at TEXT,
    signed_at       TEXT,
    signed_by       INTEGER REFERENCES users(id),
    content         TEXT,
    content_hash    TEXT,
    code            TEXT UNIQUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    delivery_queued_at TEXT,
    -- The request this sheet answers; NULL for the yearly sheet.
    request_id      INTEGER UNIQUE REFERENCES comment_requests(id)
);
INSERT INTO sheets_new (id, membership_id, year, state, criteria, remarks, sent_to_member_at,
        member_answer, member_response, member_answered_at, signed_at, signed_by, content,
        content_hash, code, created_at, updated_at, delivery_queued_at)
    SELECT id, membership_id, year, state, criteria, remarks, sent_to_member_at,
        member_answer, member_response, member_answered_at, signed_at, signed_by, content,
        content_hash, code, created_at, updated_at, delivery_queued_at
    FROM sheets;
DROP TABLE sheets;
ALTER TABLE sheets_new RENAME TO sheets;
-- One yearly sheet per member and year, as the old table constraint said.
CREATE UNIQUE INDEX sheets_member_year ON sheets(membership_id, year) WHERE request_id IS NULL;
CREATE INDEX sheets_undelivered ON sheets(id) WHERE state = 'signed' AND delivery_queued_at IS NULL;

COMMIT;

PRAGMA foreign_keys = ON;

-- Year end: workplace officers, ward supervisors, comment sheets and the
-- hash-chained audit log.

CREATE TABLE workplace_officers (
    workplace_id INTEGER NOT NULL REFERENCES workplaces(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    since        TEXT NOT NULL,
    PRIMARY KEY (workplace_id, user_id)
);
CREATE INDEX workplace_officers_user ON workplace_officers(user_id);

CREATE TABLE ward_supervisors (
    ward_id      INTEGER NOT NULL REFERENCES wards(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    since        TEXT NOT NULL,
    PRIMARY KEY (ward_id, user_id)
);
CREATE INDEX ward_supervisors_user ON ward_supervisors(user_id);

-- The residence cell's annual comment on a member (form 3-213).
CREATE TABLE sheets (
    id              INTEGER PRIMARY KEY,
    membership_id   INTEGER NOT NULL REFERENCES memberships(id),
    year            INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('draft', 'with_member', 'signed')),
    -- JSON array of six level indexes (0 best … 2 worst), null where unset.
    criteria        TEXT NOT NULL,
    remarks         TEXT NOT NULL DEFAULT '',
    sent_to_member_at TEXT,
    -- 'accepted' | 'responded' once the member answered.
    member_answer   TEXT,
    member_response TEXT,
    member_answered_at TEXT,
    signed_at       TEXT,
    signed_by       INTEGER REFERENCES users(id),
    -- The frozen sheet (canonical JSON) and its verification code.
    content         TEXT,
    content_hash    TEXT,
    code            TEXT UNIQUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (membership_id, year)
);

-- Every decision, each entry carrying the hash of the previous one.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       INTEGER,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    subject_id  INTEGER NOT NULL,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE INDEX audit_log_subject ON audit_log(subject, subject_id, action);
CREATE INDEX reports_membership ON reports(membership_id, status, activity_date);
CREATE INDEX memberships_workplace ON memberships(workplace_id, status);

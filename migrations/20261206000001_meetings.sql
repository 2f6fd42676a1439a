-- Residence meetings (issue 10): a meeting called by a cell's secretary or
-- deputy, one invitation per member who was active when it was called, the
-- answers, the check-in code and the register of attendance.

CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY,
    -- Makes "Send invitations" idempotent when the update is delivered twice.
    token           TEXT NOT NULL UNIQUE,
    cell_id         INTEGER NOT NULL REFERENCES cells(id),
    -- 'periodic': the six-monthly meeting with working members (duty 3);
    -- 'cell': another meeting called by the cell (duty 3);
    -- 'residents': the street group's residents' meeting (duty 4).
    kind            TEXT NOT NULL CHECK (kind IN ('periodic', 'cell', 'residents')),
    starts_at       TEXT NOT NULL,          -- UTC instant
    place           TEXT NOT NULL,
    agenda          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'cancelled')),
    called_by       INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    -- How many times it was postponed (each one resets the answers).
    postponed       INTEGER NOT NULL DEFAULT 0,
    cancelled_at    TEXT,
    cancelled_by    INTEGER REFERENCES users(id),
    -- The day-before reminder was queued for the current starts_at.
    reminded_at     TEXT,
    -- The secretary's summary message, edited as answers arrive.
    summary_chat_id     INTEGER,
    summary_message_id  INTEGER,
    -- The QR check-in code (at least 96 bits), made at the first /checkin.
    checkin_code    TEXT UNIQUE,
    -- The register: closed once, correctable for 7 days after the meeting.
    closed_at       TEXT,
    closed_by       INTEGER REFERENCES users(id)
);
CREATE INDEX meetings_cell ON meetings(cell_id, starts_at);
-- The scheduler's reminder check reads only meetings still to remind.
CREATE INDEX meetings_to_remind ON meetings(starts_at)
    WHERE status = 'scheduled' AND reminded_at IS NULL;

CREATE TABLE meeting_invitations (
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
    membership_id   INTEGER NOT NULL REFERENCES memberships(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    -- Exempt when invited (guidance 33): for information, not required.
    exempt          INTEGER NOT NULL DEFAULT 0,
    -- The member's answer, changeable until the meeting starts.
    answer          TEXT CHECK (answer IN ('attend', 'decline')),
    reason          TEXT,
    answered_at     TEXT,
    -- The invitation message, so it can be edited after an answer.
    chat_message_id INTEGER,
    -- The register: present / excused / absent; NULL until marked.
    attendance      TEXT CHECK (attendance IN ('present', 'excused', 'absent')),
    checked_in_at   TEXT,
    -- The approved activity recorded for a present member when the
    -- register is closed (or the member's own report, linked).
    report_id       INTEGER REFERENCES reports(id),
    PRIMARY KEY (meeting_id, membership_id)
);
CREATE INDEX meeting_invitations_user ON meeting_invitations(user_id, meeting_id);

-- A report recorded by the cell (attendance at a meeting) rather than
-- reported by the member, and the meeting a report is about.
ALTER TABLE reports ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
ALTER TABLE reports ADD COLUMN recorded_by_cell INTEGER NOT NULL DEFAULT 0;
CREATE INDEX reports_meeting ON reports(meeting_id) WHERE meeting_id IS NOT NULL;

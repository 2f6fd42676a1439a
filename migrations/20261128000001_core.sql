-- Core schema: organisations, users, invites, memberships, activity kinds,
-- reports, dialogue state and update de-duplication.

CREATE TABLE wards (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE cells (
    id          INTEGER PRIMARY KEY,
    ward_id     INTEGER NOT NULL REFERENCES wards(id),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX cells_ward ON cells(ward_id);

CREATE TABLE workplaces (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    -- NFC, lower case, single spaces: SQLite's NOCASE folds ASCII only,
    -- not Vietnamese letters.
    name_key    TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

-- Telegram users who have written to the bot. id is the Telegram user id;
-- in private chats the chat id equals the user id.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    full_name       TEXT,
    tg_name         TEXT NOT NULL,
    tg_username     TEXT,
    phone           TEXT,
    language        TEXT,          -- 'vi' | 'en' once chosen or detected
    first_seen_at   TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL
);

-- One secretary per cell; a user may be secretary of several cells.
CREATE TABLE cell_secretaries (
    cell_id     INTEGER PRIMARY KEY REFERENCES cells(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    since       TEXT NOT NULL
);
CREATE INDEX cell_secretaries_user ON cell_secretaries(user_id);

CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('secretary', 'member', 'officer', 'supervisor')),
    -- What the invite admits to: a cell (secretary, member), a workplace
    -- (officer) or a ward (supervisor).
    cell_id     INTEGER REFERENCES cells(id),
    workplace_id INTEGER REFERENCES workplaces(id),
    ward_id     INTEGER REFERENCES wards(id),
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     INTEGER REFERENCES users(id),
    revoked_at  TEXT
);
CREATE INDEX invites_cell ON invites(cell_id, kind);

-- A member's place in a residence cell. The request token makes a
-- confirmed join idempotent when an update is delivered twice.
CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY,
    token           TEXT NOT NULL UNIQUE,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    cell_id         INTEGER NOT NULL REFERENCES cells(id),
    invite_id       INTEGER REFERENCES invites(id),
    full_name       TEXT NOT NULL,
    phone           TEXT,
    workplace_id    INTEGER REFERENCES workplaces(id),
    workplace_name  TEXT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'left')),
    requested_at    TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX memberships_one_active ON memberships(user_id) WHERE status IN ('pending', 'approved');
CREATE INDEX memberships_cell ON memberships(cell_id, status);

CREATE TABLE activity_kinds (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    duties      TEXT NOT NULL,        -- comma-separated duty numbers of Regulation 213, Art. 2; '' for none
    position    INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);

INSERT INTO activity_kinds (code, name_vi, name_en, duties, position) VALUES
    ('cell_meeting',  'Sinh hoạt, họp chi bộ nơi cư trú',          'Residence cell meeting',               '3',   1),
    ('residents_meeting', 'Họp tổ dân phố, thôn, khối',             'Residents'' meeting',                  '4',   2),
    ('liaison',       'Liên hệ, phản ánh ý kiến nhân dân',           'Liaison and residents'' opinions',     '4',   3),
    ('propaganda',    'Tuyên truyền, vận động',                      'Propaganda and mobilisation',          '2,5', 4),
    ('community',     'Phong trào, hoạt động cộng đồng',             'Community movement',                   '1,6', 5),
    ('contribution',  'Đóng góp, ủng hộ',                            'Contribution to local funds',          '1',   6),
    ('other',         'Hoạt động khác',                              'Other activity',                       '',    7);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    token           TEXT NOT NULL UNIQUE,
    membership_id   INTEGER NOT NULL REFERENCES memberships(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    cell_id         INTEGER NOT NULL REFERENCES cells(id),
    kind_id         INTEGER NOT NULL REFERENCES activity_kinds(id),
    activity_date   TEXT NOT NULL,     -- YYYY-MM-DD, local date
    description     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      INTEGER REFERENCES users(id),
    reject_reason   TEXT
);
CREATE INDEX reports_cell_status ON reports(cell_id, status);
CREATE INDEX reports_user_date ON reports(user_id, activity_date);

CREATE TABLE report_photos (
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    position    INTEGER NOT NULL,
    file_id     TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);

-- Messages that show a pending decision (a join request or a report) with
-- buttons, so every copy can be edited once it is decided.
CREATE TABLE decision_messages (
    subject     TEXT NOT NULL CHECK (subject IN ('membership', 'report')),
    subject_id  INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    PRIMARY KEY (subject, subject_id, chat_id, message_id)
);

-- Dialogue state per chat (JSON), read and written by the bot's Storage.
CREATE TABLE dialogues (
    chat_id     INTEGER PRIMARY KEY,
    state       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Updates already handled, so a redelivered batch is not processed twice.
CREATE TABLE processed_updates (
    update_id   INTEGER PRIMARY KEY,
    processed_at TEXT NOT NULL
);

-- Broadcasts (monthly reminders, secretary digests, stale-approval notes,
-- announcements) and the persistent outbox they are sent from.

-- A member the bot cannot reach (blocked it, deactivated): set by the
-- sender on a 403, cleared when the user writes to the bot again.
ALTER TABLE users ADD COLUMN unreachable_since TEXT;

-- Exempt from residence meetings under guidance 33-HD/BTCTW: no monthly
-- reminder, no periodic comment sheet.
ALTER TABLE memberships ADD COLUMN exempt_reason TEXT;

-- When a long-pending report was pointed out to the secretary (once).
ALTER TABLE reports ADD COLUMN stale_noted_at TEXT;

CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('reminder', 'digest', 'stale', 'announcement')),
    -- 'YYYY-MM' for reminders and digests, 'YYYY-MM-DD' for stale notes:
    -- a period is queued at most once.
    period          TEXT,
    -- Makes a confirmed announcement idempotent.
    token           TEXT UNIQUE,
    created_by      INTEGER REFERENCES users(id),
    text            TEXT,
    -- The message that shows an announcement's progress to its sender.
    progress_chat   INTEGER,
    progress_message INTEGER,
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE UNIQUE INDEX broadcasts_once_per_period ON broadcasts(kind, period) WHERE period IS NOT NULL;

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    broadcast_id    INTEGER NOT NULL REFERENCES broadcasts(id),
    chat_id         INTEGER NOT NULL,
    -- JSON: {"text": "...", "buttons": [[["label", "callback data"], ...], ...]}
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'unreachable', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    message_id      INTEGER,
    UNIQUE (broadcast_id, chat_id)
);
CREATE INDEX outbox_due ON outbox(status, not_before, id);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);

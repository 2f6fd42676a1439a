-- The personal-data notice (issue 12): which version each user was shown,
-- and whether and when they agreed. A user who never agreed has no row:
-- nothing about them is stored beyond their Telegram id (and language).

CREATE TABLE consents (
    user_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    shown_at    TEXT NOT NULL,
    agreed_at   TEXT,
    refused_at  TEXT,
    PRIMARY KEY (user_id, version)
) WITHOUT ROWID;

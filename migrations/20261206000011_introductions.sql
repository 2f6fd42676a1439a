-- Introductions (issue 11): a workplace's officer gives a person on the
-- roster who is not registered with a residence cell a personal link; the
-- person opens it, chooses their ward and cell and asks to join.

CREATE TABLE introductions (
    id            INTEGER PRIMARY KEY,
    -- The deep-link code: `in_` and 22 random letters and digits (~131 bits).
    code          TEXT NOT NULL UNIQUE,
    workplace_id  INTEGER NOT NULL REFERENCES workplaces(id),
    -- The roster entry it was made for. Imports replace the roster as a
    -- whole, so the person is also copied here; no foreign key.
    roster_entry_id INTEGER,
    full_name     TEXT NOT NULL,
    -- `domain::roster::match_key` of the name; the normalised phone.
    name_key      TEXT NOT NULL,
    phone         TEXT,
    officer_id    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    -- The Telegram user who opened it first: nobody else may use it.
    claimed_by    INTEGER REFERENCES users(id),
    claimed_at    TEXT,
    -- Set with the join request it led to, in the request's transaction.
    used_at       TEXT,
    membership_id INTEGER REFERENCES memberships(id)
);
CREATE INDEX introductions_workplace ON introductions (workplace_id, created_at);

-- The join request an introduction led to.
ALTER TABLE memberships ADD COLUMN introduction_id INTEGER REFERENCES introductions(id);

-- Every exemption from residence meetings a membership held, one row each
-- (UTC): `until` NULL while it holds, `since` NULL where it was not
-- recorded. The months each covered owe no residence contact, also once it
-- was lifted; `memberships.exempt_since` / `exempt_until` keep describing
-- the current (or last) one.
CREATE TABLE exemptions (
    id INTEGER PRIMARY KEY,
    membership_id INTEGER NOT NULL REFERENCES memberships(id),
    reason TEXT,
    since TEXT,
    until TEXT
);
CREATE INDEX exemptions_membership ON exemptions (membership_id, since);

-- Carried over. One lifted: until its recorded end; its start is known
-- only if no later exemption began (which took `exempt_since`).
INSERT INTO exemptions (membership_id, reason, since, until)
SELECT id, NULL,
       CASE WHEN exempt_reason IS NULL OR exempt_since <= exempt_until THEN exempt_since END,
       exempt_until
FROM memberships WHERE exempt_until IS NOT NULL;
-- The one held now, since its recorded start.
INSERT INTO exemptions (membership_id, reason, since, until)
SELECT id, exempt_reason, exempt_since, NULL
FROM memberships WHERE exempt_reason IS NOT NULL;
-- One exempted again after it was lifted still showed the old lift.
UPDATE memberships SET exempt_until = NULL
WHERE exempt_reason IS NOT NULL AND exempt_since > exempt_until;

-- When a member's exemption from residence meetings was lifted (UTC): the
-- months before are not counted as silence; their evidence is expected
-- from the month after.
ALTER TABLE memberships ADD COLUMN exempt_until TEXT;

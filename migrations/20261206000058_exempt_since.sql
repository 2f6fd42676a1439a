-- When a member's current (or last) exemption began (UTC): an exemption
-- lifted moves the months judged only when it had held since the member was
-- introduced (the months owed before a later exemption stay owed).
ALTER TABLE memberships ADD COLUMN exempt_since TEXT;

-- Who set a row of the register (NULL: the register's first guess, from
-- the member's answer): a later answer moves a guess with it, never a row
-- the committee set.
ALTER TABLE meeting_invitations ADD COLUMN marked_by INTEGER;

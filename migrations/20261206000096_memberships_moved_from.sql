-- A report's member still stands where it went when the membership of the
-- report ended by a move and a later one, moved from it, is approved
-- (reports::still_member follows the chain of moves): served by an index.
CREATE INDEX memberships_moved_from ON memberships(moved_from) WHERE moved_from IS NOT NULL;

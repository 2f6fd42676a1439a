-- A member who moved away or whose membership ended stayed invited to
-- their old cell's meetings still to come: the register then listed them,
-- closing it marked them absent, and that absence counted on the sheet the
-- new cell writes. Ending a membership now withdraws those invitations;
-- this clears the ones left before, where the meeting started after the
-- membership ended and nobody marked the member present.
DELETE FROM meeting_invitations
WHERE COALESCE(attendance, 'absent') = 'absent'
  AND checked_in_at IS NULL
  AND EXISTS (
      SELECT 1 FROM memberships m JOIN meetings mt ON mt.id = meeting_invitations.meeting_id
      WHERE m.id = meeting_invitations.membership_id
        AND m.ended_at IS NOT NULL
        AND mt.starts_at > m.ended_at);

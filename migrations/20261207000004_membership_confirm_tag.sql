-- The tag of the join summary whose Confirm stored the request (the
-- dialogue state's `step_tag`): a press of that Confirm after the request
-- was stored (twice, or after a crash before the answer) is told it was
-- sent already, and when. NULL for requests stored before this, or made
-- otherwise (a move, a workplace's request).
ALTER TABLE memberships ADD COLUMN confirm_tag INTEGER;

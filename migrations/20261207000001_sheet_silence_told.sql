-- Whoever writes a comment sheet is told once when the member's week to
-- answer a draft has passed with no answer: the sending (its
-- sent_to_member_at) they were told of. A draft sent again has another
-- and is told again when its own week passes.
ALTER TABLE sheets ADD COLUMN silence_told_for TEXT;
-- The drafts with their members and unanswered, which the scheduler looks at.
CREATE INDEX sheets_unanswered ON sheets(sent_to_member_at)
    WHERE state = 'with_member' AND member_answer IS NULL;

-- The tag of the summary whose Submit stored the report (the dialogue
-- state's `step_tag`): a press of that Submit after the report was stored
-- (twice, or after a crash before the answer) is told which report it was.
-- NULL for reports stored before this.
ALTER TABLE reports ADD COLUMN submit_tag INTEGER;

-- An announcement's progress message is queued in the outbox with the
-- announcement itself (one transaction), instead of being sent before it:
-- a crash between the two no longer leaves a "0 of N" message nobody
-- updates. The message's id is that of the row once sent.
ALTER TABLE broadcasts ADD COLUMN progress_row INTEGER;

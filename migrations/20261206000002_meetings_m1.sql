-- Calling a meeting (issue 10): what the secretary's summary message shows
-- now, so it is edited only when the answers change what it says
-- (Telegram refuses an edit that changes nothing).
ALTER TABLE meetings ADD COLUMN summary_shown TEXT;

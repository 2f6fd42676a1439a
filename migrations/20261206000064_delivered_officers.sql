-- How many workplace officers a signed sheet was queued to: none means it
-- was signed but reached no workplace (no officer in the bot), which the
-- lists say instead of "sent". NULL (sheets signed before this): sent.
ALTER TABLE sheets ADD COLUMN delivered_officers INTEGER;

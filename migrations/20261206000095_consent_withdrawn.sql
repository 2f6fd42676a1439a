-- `/forgetme` withdraws the agreement to the personal-data notice: it is
-- kept (when it was given, and when withdrawn), but no longer counts, so
-- a join after the erasure shows the notice again. Agreeing again clears
-- it.
ALTER TABLE consents ADD COLUMN withdrawn_at TEXT;

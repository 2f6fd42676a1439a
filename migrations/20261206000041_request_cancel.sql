-- An officer withdraws a comment request (`store::requests::withdraw`):
-- the day it was withdrawn, shown by /requests. NULL for a request that is
-- open, signed, or cancelled by /forgetme (whose member's data is gone).
ALTER TABLE comment_requests ADD COLUMN cancelled_at TEXT;

-- An id is never used twice. Buttons on old messages name a join request,
-- a report or a comment sheet by its id; SQLite gives a new row one more
-- than the largest id in the table, so erasing the newest one (/forgetme)
-- let the next join, report or sheet take its id, and a secretary's old
-- card decided an item they never saw. The largest id deleted is kept
-- here, and new rows take one more than it (`store::next_id!`).
CREATE TABLE retired_ids (
    tbl     TEXT PRIMARY KEY,
    last    INTEGER NOT NULL
);

CREATE TRIGGER memberships_retire_id AFTER DELETE ON memberships BEGIN
    INSERT OR REPLACE INTO retired_ids (tbl, last) VALUES ('memberships',
        MAX(OLD.id, COALESCE((SELECT last FROM retired_ids WHERE tbl = 'memberships'), 0)));
END;

CREATE TRIGGER reports_retire_id AFTER DELETE ON reports BEGIN
    INSERT OR REPLACE INTO retired_ids (tbl, last) VALUES ('reports',
        MAX(OLD.id, COALESCE((SELECT last FROM retired_ids WHERE tbl = 'reports'), 0)));
END;

CREATE TRIGGER sheets_retire_id AFTER DELETE ON sheets BEGIN
    INSERT OR REPLACE INTO retired_ids (tbl, last) VALUES ('sheets',
        MAX(OLD.id, COALESCE((SELECT last FROM retired_ids WHERE tbl = 'sheets'), 0)));
END;

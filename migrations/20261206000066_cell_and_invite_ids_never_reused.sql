-- Cells, invite links and cell-file previews keep their ids too (see
-- migration 55): a cell removed by its ward (added by mistake) let the
-- next cell take its id, so an old card's Rename or Invite secretary, a
-- rename half-typed, or an introduction's cell button acted on the new
-- cell; and a secretary link half-way through (its name still to type)
-- became whatever link took the removed one's id.
CREATE TRIGGER cells_retire_id AFTER DELETE ON cells BEGIN
    INSERT OR REPLACE INTO retired_ids (tbl, last) VALUES ('cells',
        MAX(OLD.id, COALESCE((SELECT last FROM retired_ids WHERE tbl = 'cells'), 0)));
END;

CREATE TRIGGER invites_retire_id AFTER DELETE ON invites BEGIN
    INSERT OR REPLACE INTO retired_ids (tbl, last) VALUES ('invites',
        MAX(OLD.id, COALESCE((SELECT last FROM retired_ids WHERE tbl = 'invites'), 0)));
END;

CREATE TRIGGER cell_imports_retire_id AFTER DELETE ON cell_imports BEGIN
    INSERT OR REPLACE INTO retired_ids (tbl, last) VALUES ('cell_imports',
        MAX(OLD.id, COALESCE((SELECT last FROM retired_ids WHERE tbl = 'cell_imports'), 0)));
END;

-- Issue 11, the ward runs its cells in chat: ward administrators, the
-- cell-name files they upload, and the notices of a ward without cells.
--
-- A ward administrator's invite is stored as kind 'supervisor' with
-- grants = 'ward_admin' (as a deputy's is kind 'secretary' with grants =
-- 'deputy'): the kind column's CHECK stays, the invites table is not
-- rebuilt.

-- Administrators of a ward (đảng ủy phường, xã): add and rename its cells,
-- invite their secretaries; see the ward's /stats and /export.
CREATE TABLE ward_admins (
    ward_id     INTEGER NOT NULL REFERENCES wards(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    since       TEXT NOT NULL,
    PRIMARY KEY (ward_id, user_id)
);
CREATE INDEX ward_admins_user ON ward_admins(user_id);

-- /cells import: the names read from a file, waiting for Import or Cancel
-- (a restart between the preview and the press loses nothing).
CREATE TABLE cell_imports (
    id          INTEGER PRIMARY KEY,
    ward_id     INTEGER NOT NULL REFERENCES wards(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    -- JSON array of [line, name] to add.
    names       TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'imported', 'cancelled')),
    created_at  TEXT NOT NULL,
    decided_at  TEXT
);
CREATE INDEX cell_imports_ward ON cell_imports(ward_id, status);

-- A person opening an introduction chose a ward that has no cell: the
-- ward's administrators are told once per introduction and ward.
CREATE TABLE ward_no_cell_notices (
    introduction_id INTEGER NOT NULL REFERENCES introductions(id),
    ward_id         INTEGER NOT NULL REFERENCES wards(id),
    at              TEXT NOT NULL,
    PRIMARY KEY (introduction_id, ward_id)
);

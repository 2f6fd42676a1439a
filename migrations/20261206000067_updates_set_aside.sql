-- Updates that stayed in hand for seconds (their answer waiting on Telegram
-- or on the database) are set aside here so that the polling offset can
-- pass them: the updates behind them keep coming. Each row goes when its
-- update is handled; rows left by a crash are handled at the next start.
CREATE TABLE updates_set_aside (
    update_id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    set_aside_at TEXT NOT NULL
);

-- An outbox row's id is never used twice. The sender reads a batch, sends
-- a row and then marks it by its id; a queued row deleted meanwhile (a card
-- withdrawn with its report, a register edit superseded, /forgetme) gave
-- its id to the next row queued when it was the newest, and the sender
-- then marked that new row sent (or given up) without sending it: a card
-- or notice lost. AUTOINCREMENT keeps the largest id ever given
-- (`sqlite_sequence`), so a new row always takes a fresh one.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    broadcast_id    INTEGER REFERENCES broadcasts(id),
    chat_id         INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'unreachable', 'failed')),
    priority        INTEGER NOT NULL DEFAULT 2,
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    message_id      INTEGER,
    UNIQUE (broadcast_id, chat_id)
);
INSERT INTO outbox_new (id, broadcast_id, chat_id, payload, status, priority, attempts,
                        not_before, last_error, sent_at, message_id)
SELECT id, broadcast_id, chat_id, payload, status, priority, attempts,
       not_before, last_error, sent_at, message_id
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, priority, id);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);
CREATE INDEX outbox_done ON outbox(COALESCE(sent_at, not_before)) WHERE status <> 'queued';
CREATE INDEX outbox_retrying ON outbox(chat_id, id) WHERE status = 'queued' AND last_error IS NOT NULL;
CREATE INDEX outbox_sheet ON outbox(json_extract(payload, '$.sheet'))
    WHERE json_extract(payload, '$.sheet') IS NOT NULL;

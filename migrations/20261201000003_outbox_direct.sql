-- Messages that matter (a join request or a report to the secretary, a
-- decision to the member) go through the outbox too, queued in the same
-- transaction as the change they announce. Such a row belongs to no
-- broadcast. Rows are sent by priority: 0 a person is waiting for it,
-- 1 digests and notes, 2 reminders and announcements.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
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
SELECT o.id, o.broadcast_id, o.chat_id, o.payload, o.status,
       CASE b.kind WHEN 'digest' THEN 1 WHEN 'stale' THEN 1 ELSE 2 END,
       o.attempts, o.not_before, o.last_error, o.sent_at, o.message_id
FROM outbox o JOIN broadcasts b ON b.id = o.broadcast_id;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(status, priority, id);
CREATE INDEX outbox_broadcast ON outbox(broadcast_id, status);

-- The secretary's card of a comment request (its "Draft" button) is recorded
-- like a join or report card, so that withdrawing the request takes the
-- button off at once. SQLite cannot widen a CHECK: the table is rebuilt.
CREATE TABLE decision_messages_new (
    subject     TEXT NOT NULL CHECK (subject IN ('membership', 'report', 'request')),
    subject_id  INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    settled_at  TEXT,
    PRIMARY KEY (subject, subject_id, chat_id, message_id)
);
INSERT INTO decision_messages_new (subject, subject_id, chat_id, message_id, settled_at)
SELECT subject, subject_id, chat_id, message_id, settled_at FROM decision_messages;
DROP TABLE decision_messages;
ALTER TABLE decision_messages_new RENAME TO decision_messages;
CREATE INDEX decision_messages_settled ON decision_messages(settled_at)
    WHERE settled_at IS NOT NULL;

-- What a message the outbox edits (a meeting's summary or register shown
-- in a chat) was last seen to show: a hash of its text and buttons,
-- recorded when Telegram accepted an edit of it (or the bot showed it
-- anew). A queued edit that would show the same again (a register toggled
-- A → B → A while the edit to B was still queued, then superseded) is not
-- sent: Telegram refuses it as "message is not modified".
CREATE TABLE edited_messages (
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    shown       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX edited_messages_at ON edited_messages(at);

-- The registers of meetings shown in chats (`/attendance`, Register on a
-- summary): the latest one per meeting and chat, with its page and what it
-- shows, so that check-ins arriving while it is on the screen are counted
-- in it (edited through the outbox, at the sender's pace per chat, never
-- with what it shows already).
CREATE TABLE meeting_registers (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    page        INTEGER NOT NULL DEFAULT 0,
    shown       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, chat_id)
);

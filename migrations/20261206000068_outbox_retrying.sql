-- A row waiting to be tried again holds the later rows of its chat (a
-- sheet's summary before its documents, a decision before what follows
-- it): the due query looks for one by chat.
CREATE INDEX outbox_retrying ON outbox(chat_id, id) WHERE status = 'queued' AND last_error IS NOT NULL;

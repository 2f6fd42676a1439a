-- The copies of a signed sheet in the outbox (`Payload::sheet`): when one
-- does not reach its officer for good, the sheet's other copies are looked
-- up inside a write transaction (sheets::not_delivered), by this index
-- instead of reading every row kept in the outbox.
CREATE INDEX outbox_sheet ON outbox(json_extract(payload, '$.sheet'))
    WHERE json_extract(payload, '$.sheet') IS NOT NULL;

-- The daily stale check looks only at reports still pending and never
-- pointed out, oldest first: a small partial index serves it without
-- reading the whole reports table.
CREATE INDEX reports_pending_unnoted ON reports(created_at)
    WHERE status = 'pending' AND stale_noted_at IS NULL;

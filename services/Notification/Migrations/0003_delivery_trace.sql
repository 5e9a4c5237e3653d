-- The trace of the event a delivery came from, so the send (often seconds later, on another instance) joins it:
-- one trace from the counter to the citizen's SMS.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS trace_parent text;

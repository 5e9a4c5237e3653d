-- A counter's queue is read soonest-due first within one unit, with or without a status; these indexes hand the
-- rows over in that order, so a page costs the same with a million open dossiers as with ten.
CREATE INDEX dossiers_queue ON dossiers (unit_id, (coalesce(new_due_at, due_at)), code);
CREATE INDEX dossiers_queue_status ON dossiers (unit_id, status, (coalesce(new_due_at, due_at)), code);
-- Nothing reads newest-received first any more; the status index above serves (unit, status).
DROP INDEX dossiers_unit_status;

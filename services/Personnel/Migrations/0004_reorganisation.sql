-- Reorganisation history (tổ chức lại đơn vị hành chính): one row per rename, move, dissolution, split or merge of a
-- unit, with the date it takes effect. A rename or move dated ahead is recorded now and applied on its date
-- (applied_at stays null until then); closings need no applying, since valid_to already answers by date.
CREATE TABLE unit_changes (
    id           uuid        PRIMARY KEY,
    unit_id      uuid        NOT NULL REFERENCES units (id),
    kind         text        NOT NULL CHECK (kind IN ('rename', 'move', 'dissolve', 'split', 'merge')),
    effective_on date        NOT NULL,
    details      jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL,
    recorded_by  text        NOT NULL,
    applied_at   timestamptz
);
CREATE INDEX unit_changes_unit ON unit_changes (unit_id, effective_on);
CREATE INDEX unit_changes_pending ON unit_changes (effective_on) WHERE applied_at IS NULL;

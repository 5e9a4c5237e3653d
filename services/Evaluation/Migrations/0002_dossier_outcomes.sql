-- One row per dossier, built only from Dossier's events (in any order: every column is filled by the
-- event that knows it). Indicators are counted from here for any subtree and period.
CREATE TABLE dossier_outcomes (
    dossier_id   uuid PRIMARY KEY,
    code         text,
    unit_id      uuid,
    channel      text,
    received_at  timestamptz,
    due_at       timestamptz,
    new_due_at   timestamptz,
    resolved_at  timestamptz,
    timeliness   text,
    returned_at  timestamptz,
    closed_at    timestamptz,
    closed_as    text,
    overdue_at   timestamptz,
    apologized_at timestamptz,
    escalated_at timestamptz
);
CREATE INDEX dossier_outcomes_unit_received ON dossier_outcomes (unit_id, received_at);
CREATE INDEX dossier_outcomes_unit_resolved ON dossier_outcomes (unit_id, resolved_at);
DROP TABLE unit_period_counts;

-- Indicators are read from counters kept per unit and period ('2026-11', '2026-Q4', '2026') as the events
-- arrive; a subtree's figures are the sum of its units' rows. Every counter is a function of the projected rows,
-- so any order of delivery ends in the same numbers.
ALTER TABLE dossier_outcomes
    ADD COLUMN processing_seconds bigint,
    ADD COLUMN due_set_at timestamptz;
DROP INDEX dossier_outcomes_unit_received;
DROP INDEX dossier_outcomes_unit_resolved;
CREATE INDEX dossier_outcomes_code ON dossier_outcomes (code);
-- Overdue pending now: the open dossiers past their due time.
CREATE INDEX dossier_outcomes_open ON dossier_outcomes (unit_id, due_at) WHERE resolved_at IS NULL AND closed_at IS NULL;

CREATE TABLE unit_period_stats (
    unit_id                uuid   NOT NULL,
    period                 text   NOT NULL,
    received               bigint NOT NULL DEFAULT 0,
    received_online        bigint NOT NULL DEFAULT 0,
    resolved               bigint NOT NULL DEFAULT 0,
    early                  bigint NOT NULL DEFAULT 0,
    on_time                bigint NOT NULL DEFAULT 0,
    late                   bigint NOT NULL DEFAULT 0,
    processing_seconds     bigint NOT NULL DEFAULT 0,
    processing_measured    bigint NOT NULL DEFAULT 0,
    apologies              bigint NOT NULL DEFAULT 0,
    escalations            bigint NOT NULL DEFAULT 0,
    -- dossiers past due at the period's end and settled (resolved or closed) only after it
    overdue_at_end         bigint NOT NULL DEFAULT 0,
    rated_very_satisfied   bigint NOT NULL DEFAULT 0,
    rated_satisfied        bigint NOT NULL DEFAULT 0,
    rated_neutral          bigint NOT NULL DEFAULT 0,
    rated_dissatisfied     bigint NOT NULL DEFAULT 0,
    feedback_received      bigint NOT NULL DEFAULT 0,
    feedback_answered      bigint NOT NULL DEFAULT 0,
    feedback_answered_late bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, period)
);
CREATE INDEX unit_period_stats_period ON unit_period_stats (period, unit_id);

-- Processing times rounded to the nearest quarter hour, for percentiles.
CREATE TABLE unit_period_processing (
    unit_id       uuid   NOT NULL,
    period        text   NOT NULL,
    quarter_hours int    NOT NULL,
    dossiers      bigint NOT NULL,
    PRIMARY KEY (unit_id, period, quarter_hours)
);
CREATE INDEX unit_period_processing_period ON unit_period_processing (period, unit_id);

-- Per official: the control-sheet steps they ended and the lateness laid at their door.
CREATE TABLE official_period_stats (
    official_id       uuid   NOT NULL,
    period            text   NOT NULL,
    steps             bigint NOT NULL DEFAULT 0,
    steps_early       bigint NOT NULL DEFAULT 0,
    steps_on_time     bigint NOT NULL DEFAULT 0,
    steps_late        bigint NOT NULL DEFAULT 0,
    apologies_at_fault   bigint NOT NULL DEFAULT 0,
    escalations_at_fault bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (official_id, period)
);

CREATE TABLE feedback_outcomes (
    feedback_id   uuid PRIMARY KEY,
    unit_id       uuid NOT NULL,
    received_at   timestamptz,
    answer_due_at timestamptz NOT NULL,
    answered_at   timestamptz
);
CREATE INDEX feedback_outcomes_unanswered ON feedback_outcomes (unit_id, answer_due_at) WHERE answered_at IS NULL;

-- Decree 335/2025: the 30 general-criteria points, entered by the official's supervisor.
CREATE TABLE general_criteria (
    official_id uuid         NOT NULL,
    period      text         NOT NULL,
    points      numeric(4,1) NOT NULL CHECK (points BETWEEN 0 AND 30),
    note        text,
    entered_by  uuid         NOT NULL,
    entered_at  timestamptz  NOT NULL,
    PRIMARY KEY (official_id, period)
);

-- Provincial policy, as data: how the 70 task-result points are split and the communes' grades.
CREATE TABLE evaluation_policy (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    quantity_points  numeric(4,1) NOT NULL,
    quality_points   numeric(4,1) NOT NULL,
    timeliness_points numeric(4,1) NOT NULL,
    excellent_share  numeric(3,2) NOT NULL
);
INSERT INTO evaluation_policy VALUES (true, 20, 20, 30, 0.20);

CREATE TABLE commune_grades (
    grade            text PRIMARY KEY,
    label            text    NOT NULL,
    rank             int     NOT NULL UNIQUE,
    min_score        numeric(5,2) NOT NULL,
    min_on_time_rate numeric(5,2)
);
INSERT INTO commune_grades VALUES
    ('tot', 'Tốt', 1, 85, 95),
    ('kha', 'Khá', 2, 70, 85),
    ('trung_binh', 'Trung bình', 3, 50, NULL),
    ('yeu', 'Yếu', 4, 0, NULL);
CREATE INDEX IF NOT EXISTS official_postings_unit ON official_postings (unit_id);

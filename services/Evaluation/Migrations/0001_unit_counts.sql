-- Indicators per unit and reporting period ('2026-11', '2026-Q4', '2026'), built only from events.
CREATE TABLE unit_period_counts (
    unit_id  uuid NOT NULL,
    period   text NOT NULL,
    received int  NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, period)
);

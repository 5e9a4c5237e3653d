-- An apology that went out later than one working day before the due time (the fallback at the due time, or a draft
-- signed too late) counts against the unit (DOMAIN.md §4).
ALTER TABLE unit_period_stats ADD COLUMN IF NOT EXISTS apologies_not_in_time bigint NOT NULL DEFAULT 0;
ALTER TABLE dossier_outcomes ADD COLUMN IF NOT EXISTS apology_in_time boolean;

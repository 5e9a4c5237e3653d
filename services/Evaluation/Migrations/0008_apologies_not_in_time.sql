-- An apology that went out later than one working day before the due time (the fallback at the due time, or a draft
-- signed too late) counts against the unit (DOMAIN.md §4).
ALTER TABLE unit_period_stats ADD COLUMN IF NOT EXISTS apologies_not_in_time bigint NOT NULL DEFAULT 0;
ALTER TABLE dossier_outcomes ADD COLUMN IF NOT EXISTS apology_in_time boolean;
-- The unit whose name the letter bears (the unit at fault: a liên thông dossier's land office), which it counts against;
-- none for letters from before it was recorded, which count where they did, under the receiving unit.
ALTER TABLE dossier_outcomes ADD COLUMN IF NOT EXISTS apology_unit_id uuid;

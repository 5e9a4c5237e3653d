-- Agencies in each service's copy of the tree: their kind, and the territorial units each serves (none listed: the
-- subtree of the unit it is attached to), so a liên thông step naming a kind finds its body without calling Personnel.
ALTER TABLE unit_directory ADD COLUMN IF NOT EXISTS agency_kind text;

CREATE TABLE IF NOT EXISTS agency_service_areas (
    agency_id uuid NOT NULL,
    unit_id   uuid NOT NULL,
    PRIMARY KEY (agency_id, unit_id)
);
CREATE INDEX IF NOT EXISTS agency_service_areas_unit ON agency_service_areas (unit_id);
CREATE INDEX IF NOT EXISTS unit_directory_agency_kind ON unit_directory (agency_kind) WHERE agency_kind IS NOT NULL;

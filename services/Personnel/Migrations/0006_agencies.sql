-- Agencies (cơ quan chuyên môn: land registration office, tax, commune police, …) are units of type 'agency' with a kind,
-- attached to a territorial unit. Which territorial units an agency serves is data the province sets; an agency without
-- rows here serves the subtree of the unit it is attached to.
ALTER TABLE units ADD COLUMN agency_kind text;

CREATE TABLE agency_service_areas (
    agency_id uuid NOT NULL REFERENCES units (id),
    unit_id   uuid NOT NULL REFERENCES units (id),
    PRIMARY KEY (agency_id, unit_id)
);

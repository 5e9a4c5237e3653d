-- Each service's own copy of the unit tree and of the officials, kept from Personnel's events, so
-- scope and assignment checks never call Personnel. Order-independent: no foreign keys, because
-- a merge can arrive before the new unit's registration.
CREATE TABLE IF NOT EXISTS unit_directory (
    id          uuid PRIMARY KEY,
    code        text,
    name        text,
    type        text,
    parent_id   uuid,
    agency_code text,
    valid_from  date,
    valid_to    date,
    merged_into uuid
);
CREATE INDEX IF NOT EXISTS unit_directory_parent ON unit_directory (parent_id);
CREATE INDEX IF NOT EXISTS unit_directory_merged ON unit_directory (merged_into);

CREATE TABLE IF NOT EXISTS official_directory (
    id        uuid PRIMARY KEY,
    full_name text NOT NULL,
    roles     text[] NOT NULL,
    disabled  boolean NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS official_postings (
    official_id uuid NOT NULL,
    unit_id     uuid NOT NULL,
    valid_from  date NOT NULL,
    PRIMARY KEY (official_id, valid_from)
);

-- How to reach each official (Personnel's OfficialRegistered and OfficialContactChanged), kept only by the services that
-- tell officials anything (Notification; see UnitDirectory.AddDirectoryContacts): elsewhere the table stays empty, so
-- officials' personal data is not copied where it is not needed. A table of its own, not columns of official_directory,
-- so the order the events arrive in decides nothing but the contact: changed_at keeps the newest.
CREATE TABLE IF NOT EXISTS official_contacts (
    official_id uuid        PRIMARY KEY,
    phone       text,
    email       text,
    changed_at  timestamptz NOT NULL
);

-- Notification finds a unit's leaders from the postings (who is posted there on the day): by unit, not by official.
CREATE INDEX IF NOT EXISTS official_postings_unit ON official_postings (unit_id);

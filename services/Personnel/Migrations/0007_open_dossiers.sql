-- Which dossiers are still open at each receiving unit, kept from the Dossier service's events, so a unit is not dissolved
-- without a successor while citizens still wait on it. A dossier closed before its receipt arrived (events may overtake
-- each other) is kept as closed, so the late receipt does not reopen it. Dossiers received before this version are not here.
CREATE TABLE open_dossiers (
    dossier_id uuid    PRIMARY KEY,
    unit_id    uuid    NOT NULL,
    closed     boolean NOT NULL DEFAULT false
);
CREATE INDEX open_dossiers_unit ON open_dossiers (unit_id) WHERE NOT closed;

-- Citizens' ratings: one per returned dossier.
CREATE TABLE ratings (
    dossier_id uuid        PRIMARY KEY,
    unit_id    uuid        NOT NULL,
    level      text        NOT NULL,
    comment    text,
    rated_at   timestamptz NOT NULL
);
CREATE INDEX ratings_unit ON ratings (unit_id, rated_at);

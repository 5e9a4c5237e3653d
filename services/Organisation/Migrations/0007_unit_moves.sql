-- Each move of a unit with the parent it left, so a report on a period that ends by the move's date still finds the unit
-- under that parent: unit_directory.parent_id alone is the tree of today.
CREATE TABLE IF NOT EXISTS unit_moves (
    unit_id         uuid NOT NULL,
    effective_on    date NOT NULL,
    previous_parent uuid,
    parent_id       uuid NOT NULL,
    PRIMARY KEY (unit_id, effective_on)
);

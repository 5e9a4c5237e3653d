-- The apology in time (DOMAIN.md §4): a letter is a draft until a leader of the unit at fault signs it, or issued; it is
-- issued in the name of that unit (issuing_unit_id), signed by an official of it, and says whether it went out at least one
-- working day before the due time (in_time). issued_by stays the official who wrote it by hand (none: the platform).
ALTER TABLE apologies
    ADD COLUMN IF NOT EXISTS state           text    NOT NULL DEFAULT 'issued' CHECK (state IN ('draft', 'issued')),
    ADD COLUMN IF NOT EXISTS drafted_at      timestamptz,
    ADD COLUMN IF NOT EXISTS issuing_unit_id uuid,
    ADD COLUMN IF NOT EXISTS signer_id       uuid,
    ADD COLUMN IF NOT EXISTS signer_name     text,
    ADD COLUMN IF NOT EXISTS signer_title    text,
    ADD COLUMN IF NOT EXISTS in_time         boolean;
ALTER TABLE apologies ALTER COLUMN issued_at DROP NOT NULL;

-- The letters already out: the platform's came after the due time; one by hand was only taken a working day ahead.
UPDATE apologies SET issuing_unit_id = responsible_unit_id, drafted_at = issued_at, in_time = NOT automatic WHERE issuing_unit_id IS NULL;

-- A leader's queue of letters to sign.
CREATE INDEX IF NOT EXISTS apologies_drafts ON apologies (issuing_unit_id) WHERE state = 'draft';

-- Whether the platform issues the apologies of a unit's subtree itself or drafts them for the unit's leader (a province's
-- choice; none set anywhere above a unit: issue).
CREATE TABLE IF NOT EXISTS apology_policies (
    unit_id    uuid        PRIMARY KEY,
    mode       text        NOT NULL CHECK (mode IN ('issue', 'draft')),
    changed_at timestamptz NOT NULL,
    changed_by uuid
);

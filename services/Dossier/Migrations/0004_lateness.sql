-- Lateness: when the sweeper must look at a dossier next, what it has already raised, and the letters.
ALTER TABLE dossiers
    ADD COLUMN next_check_at timestamptz,
    ADD COLUMN at_risk_at    timestamptz,
    ADD COLUMN at_risk_step  int,
    ADD COLUMN overdue_at    timestamptz,
    ADD COLUMN escalated_at  timestamptz;
-- The sweeper's cost follows the dossiers coming due, not the dossiers open.
CREATE INDEX dossiers_next_check ON dossiers (next_check_at) WHERE next_check_at IS NOT NULL;

ALTER TABLE dossier_steps ADD COLUMN IF NOT EXISTS completed_by_name text;

-- Phiếu xin lỗi và hẹn lại ngày trả kết quả. One per dossier: the new date may be set only once.
CREATE TABLE apologies (
    id                      uuid        PRIMARY KEY,
    dossier_id              uuid        NOT NULL UNIQUE REFERENCES dossiers (id),
    number                  text        NOT NULL,
    agency_code             text        NOT NULL,
    year                    int         NOT NULL,
    sequence                int         NOT NULL,
    issued_at               timestamptz NOT NULL,
    reason                  text        NOT NULL,
    responsible_unit_id     uuid        NOT NULL,
    responsible_step        text        NOT NULL,
    responsible_official_id uuid,
    previous_due_at         timestamptz NOT NULL,
    new_due_at              timestamptz NOT NULL,
    automatic               boolean     NOT NULL,
    issued_by               uuid,
    UNIQUE (agency_code, year, sequence)
);

-- Letters are numbered per agency per year.
CREATE TABLE apology_sequences (
    agency_code text NOT NULL,
    year        int  NOT NULL,
    last_value  int  NOT NULL,
    PRIMARY KEY (agency_code, year)
);

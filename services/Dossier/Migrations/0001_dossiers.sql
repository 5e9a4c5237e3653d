CREATE TABLE dossiers (
    id              uuid        PRIMARY KEY,
    code            text        NOT NULL UNIQUE,
    procedure_code  text        NOT NULL,
    unit_id         uuid        NOT NULL,
    channel         text        NOT NULL,
    status          text        NOT NULL,
    applicant       jsonb       NOT NULL,
    papers          jsonb       NOT NULL,
    received_at     timestamptz NOT NULL,
    due_at          timestamptz,
    version         int         NOT NULL DEFAULT 1,
    idempotency_key text        UNIQUE
);
CREATE INDEX dossiers_unit_status ON dossiers (unit_id, status, received_at DESC);

-- Mã hồ sơ: AGENCY-YYMMDD-NNNN, the sequence restarting each day per agency.
CREATE TABLE dossier_code_sequences (
    agency_code text NOT NULL,
    day         date NOT NULL,
    last_value  int  NOT NULL,
    PRIMARY KEY (agency_code, day)
);

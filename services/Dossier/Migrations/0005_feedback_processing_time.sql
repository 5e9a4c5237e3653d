-- Working hours a dossier's clock stood still waiting for the citizen, so its processing time can leave them out.
ALTER TABLE dossiers ADD COLUMN waited_hours double precision NOT NULL DEFAULT 0;

-- Citizens' feedback and recommendations (phản ánh, kiến nghị) and the units' answers.
CREATE SEQUENCE feedback_number;
CREATE TABLE feedback (
    id            uuid        PRIMARY KEY,
    number        text        NOT NULL UNIQUE,
    unit_id       uuid        NOT NULL,
    kind          text        NOT NULL,
    dossier_code  text,
    content       text        NOT NULL,
    citizen       jsonb       NOT NULL,
    received_at   timestamptz NOT NULL,
    answer_due_at timestamptz NOT NULL,
    answer        text,
    answered_by   uuid,
    answered_at   timestamptz,
    timeliness    text
);
CREATE INDEX feedback_unit_due ON feedback (unit_id, answer_due_at);

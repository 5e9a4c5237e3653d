-- Who read a citizen's contact details on a feedback, like personal_data_reads for dossiers.
CREATE TABLE feedback_reads (
    id          bigserial   PRIMARY KEY,
    feedback_id uuid        NOT NULL,
    reader_id   uuid        NOT NULL,
    reader_name text        NOT NULL,
    at          timestamptz NOT NULL,
    reason      text,
    address     text
);
CREATE INDEX feedback_reads_feedback ON feedback_reads (feedback_id, at);

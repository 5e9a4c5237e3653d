-- Every read of a dossier's personal data: who, when, why, from where. A citizen can be told who
-- looked at their dossier. Append-only like the audit log.
CREATE TABLE personal_data_reads (
    id          bigserial   PRIMARY KEY,
    dossier_id  uuid        NOT NULL REFERENCES dossiers (id),
    reader_id   uuid        NOT NULL,
    reader_name text        NOT NULL,
    at          timestamptz NOT NULL,
    reason      text,
    address     text
);
CREATE INDEX personal_data_reads_dossier ON personal_data_reads (dossier_id, at);
CREATE TRIGGER personal_data_reads_no_change BEFORE UPDATE OR DELETE ON personal_data_reads
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

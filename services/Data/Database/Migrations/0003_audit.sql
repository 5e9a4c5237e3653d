-- Who wrote what, when and from where: one row per write request. Append-only, enforced here so
-- that not even the service itself can rewrite history.
CREATE TABLE IF NOT EXISTS audit_log (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor_id       uuid,
    actor_name     text        NOT NULL,
    method         text        NOT NULL,
    path           text        NOT NULL,
    status         int         NOT NULL,
    address        text,
    correlation_id text
);
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor_id, at);

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

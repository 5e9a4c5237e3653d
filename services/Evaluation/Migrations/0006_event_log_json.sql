-- The log is written for every event and read only to replay it: json keeps the text as sent, without the parse
-- and re-encoding jsonb costs on every insert.
ALTER TABLE event_log ALTER COLUMN body TYPE json USING body::json;

-- Every event the projections consumed, in arrival order, so they can be rebuilt by replay.
CREATE TABLE event_log (
    seq         bigserial   PRIMARY KEY,
    message_id  uuid        NOT NULL UNIQUE,
    type        text        NOT NULL,
    body        jsonb       NOT NULL,
    received_at timestamptz NOT NULL
);

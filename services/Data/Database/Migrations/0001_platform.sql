-- Tables every service shares in its own database: the transactional outbox, the inbox and
-- the simulated clock's offset.
CREATE TABLE IF NOT EXISTS outbox (
    id           bigserial   PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    message_type text        NOT NULL,
    body         jsonb       NOT NULL,
    -- W3C traceparent of the request that wrote the row, so the trace continues across the relay.
    trace_parent text,
    created_at   timestamptz NOT NULL,
    sent_at      timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE IF NOT EXISTS inbox (
    consumer     text        NOT NULL,
    message_id   uuid        NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (consumer, message_id)
);

CREATE TABLE IF NOT EXISTS simulated_clock (
    id     int    PRIMARY KEY CHECK (id = 1),
    offset_ticks bigint NOT NULL
);

-- The delivery log: one row per (event, recipient, channel), whatever the bus redelivers.
CREATE TABLE deliveries (
    id               uuid        PRIMARY KEY,
    event_id         uuid        NOT NULL,
    dossier_code     text        NOT NULL,
    unit_id          uuid        NOT NULL,
    channel          text        NOT NULL,
    recipient_masked text        NOT NULL,
    template         text        NOT NULL,
    body             text        NOT NULL,
    status           text        NOT NULL,
    attempts         int         NOT NULL,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz,
    UNIQUE (event_id, recipient_masked, channel)
);
CREATE INDEX deliveries_dossier ON deliveries (dossier_code, created_at);

-- Log-in accounts. Passwords are stored only as ASP.NET Core Identity hashes.
CREATE TABLE accounts (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    official_id   uuid,
    unit_id       uuid,
    roles         text[]      NOT NULL,
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL
);

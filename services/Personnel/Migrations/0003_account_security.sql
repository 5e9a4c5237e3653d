-- Usernames are one name without regard to case and surrounding spaces. Before this, `Admin` and `admin ` could both
-- exist and the log-in answered 500 for good: the older account keeps the name, a later duplicate gets its id's first
-- eight characters appended (the admin tells its owner) so the unique index below can be built.
UPDATE accounts a SET username = btrim(a.username) || '.' || left(a.id::text, 8)
WHERE EXISTS (
    SELECT 1 FROM accounts b
    WHERE lower(btrim(b.username)) = lower(btrim(a.username)) AND (b.created_at, b.id) < (a.created_at, a.id));
UPDATE accounts SET username = btrim(username) WHERE username <> btrim(username);
-- The exact-name constraint stays beside it while instances of the previous version may still run (a rolling update):
-- their start-up inserts the admin with ON CONFLICT (username).
CREATE UNIQUE INDEX accounts_username_normalised ON accounts (lower(btrim(username)));

-- Raised on every change of who the account may be (disabled, transferred, other roles, a new password); a token
-- carries the version it was issued under and is refused once it is lower.
-- failed_logins and locked_until are no longer used (the throttle below replaces the lock-out); instances of the
-- previous version still read them during a rolling update, so a later migration drops them.
ALTER TABLE accounts
    ADD COLUMN access_version int NOT NULL DEFAULT 1,
    ADD COLUMN password_changed_at timestamptz;

-- Failed log-ins by account name and source address together, so an outsider's guesses slow the outsider and never
-- lock the official out. Unknown names are counted the same way as known ones: the answer tells nothing.
CREATE TABLE login_throttle (
    username_key    text        NOT NULL,
    source          text        NOT NULL,
    failures        int         NOT NULL,
    next_allowed_at timestamptz NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    PRIMARY KEY (username_key, source)
);
CREATE INDEX login_throttle_age ON login_throttle (last_failed_at);

-- Refresh tokens (opaque, stored only as SHA-256): one per signed-in page, replaced on each use, good until the end
-- of the session they were first issued for and only while the account's access version is unchanged.
CREATE TABLE refresh_tokens (
    token_hash     bytea       PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    access_version int         NOT NULL,
    session_ends   timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_account ON refresh_tokens (account_id);
CREATE INDEX refresh_tokens_end ON refresh_tokens (session_ends);
CREATE INDEX accounts_official_id ON accounts (official_id);

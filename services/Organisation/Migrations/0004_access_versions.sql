-- The access version of each token subject whose access changed (Personnel's AccessVersionRaised): a token with a lower
-- version is refused. A subject without a row has never changed, and every token of theirs stands.
CREATE TABLE IF NOT EXISTS access_versions (
    subject_id uuid PRIMARY KEY,
    version    int  NOT NULL
);

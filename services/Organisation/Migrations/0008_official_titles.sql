-- An official's title (chức vụ) in each service's copy, from Personnel's OfficialRegistered: the papers print the signer's
-- title and sign "KT." for a deputy. Officials registered before this column came have none until registered again.
ALTER TABLE official_directory ADD COLUMN IF NOT EXISTS title text;

-- An official's title (chức danh: Chủ tịch, Phó Chủ tịch, Giám đốc…), so a paper names its signer's capacity.
ALTER TABLE official_directory ADD COLUMN IF NOT EXISTS title text;

-- How an official is reached with notices (assignment, at-risk, overdue, escalation): a mobile number for SMS and an
-- e-mail address, each optional. Personal data: shown to admins, the official and the leaders of the official's unit.
ALTER TABLE officials
    ADD COLUMN IF NOT EXISTS phone text,
    ADD COLUMN IF NOT EXISTS email text;

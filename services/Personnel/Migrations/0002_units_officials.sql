-- Administrative units: a tree of any depth with history. A merge closes its sources (valid_to,
-- merged_into) and opens the new unit on the same date.
CREATE TABLE units (
    id          uuid        PRIMARY KEY,
    code        text        NOT NULL UNIQUE,
    name        text        NOT NULL,
    type        text        NOT NULL,
    parent_id   uuid        REFERENCES units (id),
    agency_code text        UNIQUE,
    valid_from  date        NOT NULL,
    valid_to    date,
    merged_into uuid        REFERENCES units (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_merged_into ON units (merged_into);

-- Vị trí việc làm: a unit's job positions, each with a quota (biên chế) and what it requires.
CREATE TABLE positions (
    id               uuid        PRIMARY KEY,
    unit_id          uuid        NOT NULL REFERENCES units (id),
    name             text        NOT NULL,
    quota            int         NOT NULL CHECK (quota >= 0),
    min_professional text        NOT NULL,
    majors           text[]      NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL,
    UNIQUE (unit_id, name)
);

CREATE TABLE officials (
    id                 uuid        PRIMARY KEY,
    full_name          text        NOT NULL,
    gender             text        NOT NULL,
    birth_date         date        NOT NULL,
    ethnicity          text        NOT NULL,
    category           text        NOT NULL,
    title              text        NOT NULL,
    general_education  text        NOT NULL,
    professional_level text        NOT NULL,
    major              text,
    political_theory   text        NOT NULL,
    state_management   text        NOT NULL,
    it_skill           text,
    foreign_language   text,
    roles              text[]      NOT NULL,
    position_id        uuid        REFERENCES positions (id),
    disabled           boolean     NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL
);
CREATE INDEX officials_position ON officials (position_id);

-- Where an official works, over time: transfers and merges close one row and open the next.
CREATE TABLE postings (
    official_id uuid NOT NULL REFERENCES officials (id),
    unit_id     uuid NOT NULL REFERENCES units (id),
    valid_from  date NOT NULL,
    valid_to    date,
    PRIMARY KEY (official_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX postings_unit ON postings (unit_id, valid_from);

CREATE TABLE trainings (
    id           uuid PRIMARY KEY,
    official_id  uuid NOT NULL REFERENCES officials (id),
    course       text NOT NULL,
    kind         text NOT NULL,
    completed_on date NOT NULL
);
CREATE INDEX trainings_official ON trainings (official_id);

-- Đạt chuẩn: the minimum qualifications per category, optionally per title (title '' = the
-- category's default). Data, editable through /api/standards.
CREATE TABLE standard_rules (
    category             text NOT NULL,
    title                text NOT NULL DEFAULT '',
    min_general          text,
    min_professional     text,
    min_political_theory text,
    min_state_management text,
    PRIMARY KEY (category, title)
);
-- Defaults as provinces report them (seed 000): professional level from sơ cấp for elected cadres and
-- from trung cấp for civil servants.
INSERT INTO standard_rules (category, min_professional) VALUES
    ('elected_cadre', 'elementary'),
    ('civil_servant', 'intermediate'),
    ('public_employee', 'intermediate'),
    ('part_time', NULL);

ALTER TABLE accounts
    DROP COLUMN unit_id,
    ADD COLUMN failed_logins int NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz,
    ADD CONSTRAINT accounts_official FOREIGN KEY (official_id) REFERENCES officials (id);

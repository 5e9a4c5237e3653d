-- The working calendar as data, per year: public holidays and make-up working Saturdays. Shipped for
-- the current years as a starting point; each year's dates follow the Prime Minister's decision, which
-- the province enters with PUT /api/calendar/{year}.
CREATE TABLE calendars (
    year              int    PRIMARY KEY,
    holidays          date[] NOT NULL,
    working_saturdays date[] NOT NULL
);
INSERT INTO calendars (year, holidays, working_saturdays) VALUES
    (2025, ARRAY['2025-01-01', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-04-07',
                 '2025-04-30', '2025-05-01', '2025-05-02', '2025-09-01', '2025-09-02']::date[],
           ARRAY['2025-04-26']::date[]),
    (2026, ARRAY['2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-27',
                 '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02']::date[],
           ARRAY[]::date[]),
    (2027, ARRAY['2027-01-01', '2027-02-04', '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-04-16',
                 '2027-04-30', '2027-05-03', '2027-09-02', '2027-09-03']::date[],
           ARRAY[]::date[]);

-- Thủ tục hành chính, versioned: editing a procedure adds a version; dossiers keep the one they were received under.
CREATE TABLE procedures (
    code             text        NOT NULL,
    version          int         NOT NULL,
    name             text        NOT NULL,
    field            text        NOT NULL,
    level            text        NOT NULL,
    processing_value numeric     NOT NULL,
    processing_unit  text        NOT NULL,
    fees             numeric     NOT NULL DEFAULT 0,
    papers           text[]      NOT NULL DEFAULT '{}',
    lien_thong       boolean     NOT NULL DEFAULT false,
    extension_hours  numeric,
    steps            jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (code, version)
);

-- The common commune procedures (DOMAIN.md §2), with the statutory times of the national catalogue.
INSERT INTO procedures (code, version, name, field, level, processing_value, processing_unit, fees, papers, steps, created_at) VALUES
    ('1.001193.000.00.00.H56', 1, 'Đăng ký khai sinh', 'Hộ tịch', 'commune', 8, 'workingHours', 0,
     ARRAY['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh'],
     '[{"name":"Tiếp nhận","role":"counter","hours":1},{"name":"Thẩm định","role":"specialist","hours":4},{"name":"Phê duyệt","role":"leader","hours":2},{"name":"Trả kết quả","role":"counter","hours":1}]',
     now()),
    ('1.000894.000.00.00.H56', 1, 'Đăng ký kết hôn', 'Hộ tịch', 'commune', 5, 'workingDays', 0,
     ARRAY['Tờ khai đăng ký kết hôn', 'Giấy xác nhận tình trạng hôn nhân'],
     '[{"name":"Tiếp nhận","role":"counter","hours":4},{"name":"Thẩm định, xác minh","role":"specialist","hours":24},{"name":"Phê duyệt","role":"leader","hours":8},{"name":"Trả kết quả","role":"counter","hours":4}]',
     now()),
    ('2.000815.000.00.00.H56', 1, 'Chứng thực bản sao từ bản chính', 'Chứng thực', 'commune', 8, 'workingHours', 2000,
     ARRAY['Bản chính giấy tờ', 'Bản sao cần chứng thực'],
     '[{"name":"Tiếp nhận","role":"counter","hours":1},{"name":"Đối chiếu","role":"specialist","hours":4},{"name":"Ký chứng thực","role":"leader","hours":2},{"name":"Trả kết quả","role":"counter","hours":1}]',
     now()),
    ('1.004873.000.00.00.H56', 1, 'Cấp Giấy xác nhận tình trạng hôn nhân', 'Hộ tịch', 'commune', 3, 'workingDays', 0,
     ARRAY['Tờ khai cấp Giấy xác nhận tình trạng hôn nhân'],
     '[{"name":"Tiếp nhận","role":"counter","hours":2},{"name":"Thẩm định, xác minh","role":"specialist","hours":14},{"name":"Phê duyệt","role":"leader","hours":6},{"name":"Trả kết quả","role":"counter","hours":2}]',
     now()),
    ('1.003560.000.00.00.H56', 1, 'Đăng ký thường trú', 'Cư trú', 'commune', 7, 'workingDays', 0,
     ARRAY['Tờ khai thay đổi thông tin cư trú', 'Giấy tờ chứng minh chỗ ở hợp pháp'],
     '[{"name":"Tiếp nhận","role":"counter","hours":4},{"name":"Thẩm định, xác minh","role":"specialist","hours":36},{"name":"Phê duyệt","role":"leader","hours":12},{"name":"Trả kết quả","role":"counter","hours":4}]',
     now());

ALTER TABLE dossiers
    ADD COLUMN procedure_version int,
    ADD COLUMN procedure_name    text,
    ADD COLUMN rule_set          text,
    ADD COLUMN current_step      int,
    ADD COLUMN waiting_since     timestamptz,
    ADD COLUMN new_due_at        timestamptz,
    ADD COLUMN resolved_at       timestamptz,
    ADD COLUMN closed_at         timestamptz,
    ADD COLUMN reason            text;

CREATE TABLE dossier_steps (
    dossier_id   uuid        NOT NULL REFERENCES dossiers (id),
    index        int         NOT NULL,
    name         text        NOT NULL,
    role         text        NOT NULL,
    -- Set for a liên thông step performed by another unit than the one that received the dossier.
    unit_id      uuid,
    hours        numeric     NOT NULL,
    assignee_id  uuid,
    due_at       timestamptz NOT NULL,
    started_at   timestamptz,
    completed_at timestamptz,
    completed_by uuid,
    outcome      text,
    PRIMARY KEY (dossier_id, index)
);
CREATE INDEX dossier_steps_assignee ON dossier_steps (assignee_id) WHERE completed_at IS NULL;

-- Phiếu kiểm soát quá trình giải quyết hồ sơ: append-only.
CREATE TABLE dossier_history (
    id          bigserial   PRIMARY KEY,
    dossier_id  uuid        NOT NULL REFERENCES dossiers (id),
    at          timestamptz NOT NULL,
    action      text        NOT NULL,
    actor_id    uuid        NOT NULL,
    actor_name  text        NOT NULL,
    from_step   text,
    to_step     text,
    assignee_id uuid,
    step_due_at timestamptz,
    timeliness  text,
    note        text
);
CREATE INDEX dossier_history_dossier ON dossier_history (dossier_id, id);
CREATE TRIGGER dossier_history_no_change BEFORE UPDATE OR DELETE ON dossier_history
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- A counter's day: its unit's open dossiers by due time, overdue ones, those assigned to an official.
CREATE INDEX dossiers_unit_due ON dossiers (unit_id, due_at) WHERE closed_at IS NULL;

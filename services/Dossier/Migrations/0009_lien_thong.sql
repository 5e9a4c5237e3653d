-- The catalogue belongs to the province: a procedure is national (no province) or a province's own, says which kinds of
-- unit may receive it, and whether any counter of the province may (Decree 118: thủ tục không phụ thuộc địa giới hành chính).
-- An empty received_by keeps what earlier versions allowed: any unit may receive the procedure.
ALTER TABLE procedures
    ADD COLUMN province_id   uuid,
    ADD COLUMN received_by   text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN province_wide boolean NOT NULL DEFAULT false;

-- The commune procedures are received at the commune level.
UPDATE procedures SET received_by = ARRAY['commune', 'ward', 'town', 'special_zone'];

-- Since the 2020 Law on Residence, residence registration is the commune police's: the counter receives and returns, the
-- police appraise and decide. A new version, so dossiers received under the first keep it.
INSERT INTO procedures (code, version, name, field, level, processing_value, processing_unit, fees, papers, steps, created_at,
                        received_by, lien_thong)
SELECT code, 2, name, field, level, processing_value, processing_unit, fees, papers,
       '[{"name":"Tiếp nhận","role":"counter","hours":4},{"name":"Thẩm định, xác minh","role":"specialist","hours":36,"unitKind":"police"},{"name":"Phê duyệt","role":"leader","hours":12,"unitKind":"police"},{"name":"Trả kết quả","role":"counter","hours":4}]',
       now(), ARRAY['commune', 'ward', 'town', 'special_zone', 'police'], true
FROM procedures WHERE code = '1.003560.000.00.00.H56' AND version = 1;

-- The control sheet names both units of a hand-over between units (giver's and receiver's).
ALTER TABLE dossier_history
    ADD COLUMN from_unit_id uuid,
    ADD COLUMN to_unit_id   uuid;

-- Dossiers a unit performs a step of, for its queues.
CREATE INDEX dossier_steps_unit ON dossier_steps (unit_id, dossier_id) WHERE unit_id IS NOT NULL;

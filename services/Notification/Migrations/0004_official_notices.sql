-- Notices to officials reach the officials themselves (SMS, e-mail, or the log naming them when they left no contact),
-- not one log line addressed to a unit. Two officials can share a masked number (0912***678), so a delivery is one per
-- (event, recipient, channel, official); a citizen's has no official, and NULLS NOT DISTINCT keeps it one per event too.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS official_id uuid;
ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_event_id_recipient_masked_channel_key;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_one_per_recipient
    UNIQUE NULLS NOT DISTINCT (event_id, recipient_masked, channel, official_id);

-- What officials are told, by SMS (no diacritics) and e-mail; the log keeps its line for officials without a contact.
INSERT INTO templates (key, channel, subject, body) VALUES
 ('dossier-assigned', 'sms', NULL, 'Ho so {code} duoc giao cho Ong/Ba: buoc {step}, han {stepDueAt}.'),
 ('dossier-assigned', 'email', 'Hồ sơ {code} được giao cho Ông/Bà',
  E'Kính gửi Ông/Bà,\n\nHồ sơ {code} được giao cho Ông/Bà xử lý bước "{step}", hạn {stepDueAt}.\n\nTrân trọng.'),
 ('dossier-assigned', 'log', NULL, 'Ho so {code} duoc giao cho Ong/Ba: buoc {step}, han {stepDueAt}.'),
 ('dossier-at-risk', 'sms', NULL, 'Ho so {code} sap tre han (buoc {step}, han {stepDueAt}).'),
 ('dossier-at-risk', 'email', 'Hồ sơ {code} sắp trễ hạn',
  E'Kính gửi Ông/Bà,\n\nHồ sơ {code} sắp trễ hạn: bước "{step}", hạn {stepDueAt}.\nĐề nghị Ông/Bà khẩn trương xử lý.\n\nTrân trọng.'),
 ('dossier-overdue', 'sms', NULL, 'Ho so {code} da qua han (buoc {step}).'),
 ('dossier-overdue', 'email', 'Hồ sơ {code} đã quá hạn',
  E'Kính gửi Ông/Bà,\n\nHồ sơ {code} đã quá hạn giải quyết; bước chậm: "{step}".\n\nTrân trọng.'),
 ('dossier-escalated', 'sms', NULL, 'Ho so {code} tre hen lan hai; bao cao cap tren.'),
 ('dossier-escalated', 'email', 'Hồ sơ {code} trễ hẹn lần hai',
  E'Kính gửi Ông/Bà,\n\nHồ sơ {code} trễ hẹn lần hai (bước "{step}"), sau ngày hẹn trong thư xin lỗi. Báo cáo cấp trên.\n\nTrân trọng.')
ON CONFLICT (key, channel) DO NOTHING;

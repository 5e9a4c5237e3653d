-- A letter drafted for the leader of the unit at fault to sign: its holder and leaders are told, ahead of the due time.
INSERT INTO templates (key, channel, subject, body) VALUES
 ('apology-drafted', 'sms', NULL, 'Ho so {code} se tre han {dueAt}: du thao thu xin loi so {number} cho lanh dao ky.'),
 ('apology-drafted', 'email', 'Hồ sơ {code}: dự thảo thư xin lỗi chờ ký',
  E'Kính gửi Ông/Bà,\n\nHồ sơ {code} sẽ không kịp hạn trả kết quả {dueAt} (khâu "{step}"). Dự thảo thư xin lỗi số {number}, hẹn lại {newDueAt}, đang chờ lãnh đạo đơn vị ký duyệt trước khi gửi công dân.\n\nTrân trọng.'),
 ('apology-drafted', 'log', NULL, 'Ho so {code} se tre han {dueAt}: du thao thu xin loi so {number} cho lanh dao ky.')
ON CONFLICT (key, channel) DO NOTHING;

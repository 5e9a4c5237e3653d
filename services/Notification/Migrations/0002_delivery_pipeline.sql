-- Deliveries are queued here and sent by the delivery worker, retried from this table (not by holding
-- the message), then marked sent or failed. The clear recipient is kept only until then.
ALTER TABLE deliveries
    ADD COLUMN recipient       text,
    ADD COLUMN subject         text,
    ADD COLUMN urgent          boolean NOT NULL DEFAULT true,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN last_error      text;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';

-- Templates as data, one per event and channel. SMS without diacritics (one or two segments);
-- e-mail with them. {placeholders} are filled from the event alone.
CREATE TABLE templates (
    key        text NOT NULL,
    channel    text NOT NULL,
    subject    text,
    body       text NOT NULL,
    PRIMARY KEY (key, channel)
);
INSERT INTO templates (key, channel, subject, body) VALUES
 ('dossier-received', 'sms', NULL, 'Ho so {code} da duoc tiep nhan. Ngay hen tra: {dueDate}. Tra cuu: {code}'),
 ('dossier-received', 'email', 'Hồ sơ {code} đã được tiếp nhận',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} ({procedure}) đã được tiếp nhận lúc {receivedAt}.\nNgày hẹn trả kết quả: {dueAt}.\n\nTrân trọng.'),
 ('dossier-registered', 'sms', NULL, 'Ho so {code} da duoc dang ky truc tuyen, dang cho tiep nhan.'),
 ('dossier-registered', 'email', 'Hồ sơ {code} đã được đăng ký',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} ({procedure}) đã được đăng ký trực tuyến và đang chờ bộ phận một cửa tiếp nhận.\n\nTrân trọng.'),
 ('supplement-requested', 'sms', NULL, 'Ho so {code} can bo sung: {reason}. Vui long lien he bo phan mot cua.'),
 ('supplement-requested', 'email', 'Hồ sơ {code} cần bổ sung',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} cần bổ sung, hoàn thiện: {reason}.\nThời gian chờ bổ sung không tính vào thời hạn giải quyết.\n\nTrân trọng.'),
 ('payment-requested', 'sms', NULL, 'Ho so {code}: vui long thuc hien nghia vu tai chinh ({reason}).'),
 ('payment-requested', 'email', 'Hồ sơ {code}: nghĩa vụ tài chính',
  E'Kính gửi Ông/Bà {applicant},\n\nĐề nghị Ông/Bà thực hiện nghĩa vụ tài chính cho hồ sơ {code}: {reason}.\n\nTrân trọng.'),
 ('dossier-refused', 'sms', NULL, 'Ho so {code} khong duoc tiep nhan. Ly do: {reason}'),
 ('dossier-refused', 'email', 'Hồ sơ {code} không được tiếp nhận',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} không được tiếp nhận. Lý do: {reason}.\n\nTrân trọng.'),
 ('dossier-rejected', 'sms', NULL, 'Ho so {code} bi tra lai. Ly do: {reason}'),
 ('dossier-rejected', 'email', 'Hồ sơ {code} được trả lại',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} được trả lại vì không đủ điều kiện giải quyết. Lý do: {reason}.\n\nTrân trọng.'),
 ('result-ready', 'sms', NULL, 'Ho so {code} da co ket qua. Moi Ong/Ba den nhan tai bo phan mot cua.'),
 ('result-ready', 'email', 'Hồ sơ {code} đã có kết quả',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} đã có kết quả. Mời Ông/Bà đến nhận tại bộ phận một cửa.\n\nTrân trọng.'),
 ('dossier-returned', 'sms', NULL, 'Ho so {code} da tra ket qua. Moi danh gia muc do hai long voi ma ho so.'),
 ('dossier-returned', 'email', 'Hồ sơ {code} đã trả kết quả',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} đã được trả kết quả. Mời Ông/Bà đánh giá mức độ hài lòng bằng mã hồ sơ.\n\nTrân trọng.'),
 ('apology-issued', 'sms', NULL, 'Xin loi Ong/Ba: ho so {code} tre hen. Ngay hen moi: {newDueDate}. So phieu: {number}'),
 ('apology-issued', 'email', 'Thư xin lỗi về hồ sơ {code}',
  E'Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} ({procedure}) chưa được trả kết quả đúng hẹn. Lý do: {reason}.\nChúng tôi xin lỗi Ông/Bà và hẹn trả kết quả vào {newDueAt}.\nPhiếu xin lỗi số {number}.\n\nTrân trọng.'),
 ('dossier-at-risk', 'log', NULL, 'Ho so {code} sap tre han (buoc {step}, han {stepDueAt}).'),
 ('dossier-overdue', 'log', NULL, 'Ho so {code} da qua han (buoc {step}).'),
 ('dossier-escalated', 'log', NULL, 'Ho so {code} tre hen lan hai; bao cao cap tren.');

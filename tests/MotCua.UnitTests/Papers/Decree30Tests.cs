using MotCua.Dossier.Papers;

namespace MotCua.UnitTests.Papers;

/// <summary>The form of an administrative document (Decree 30/2020) as every paper prints it.</summary>
public sealed class Decree30Tests
{
    [Theory]
    [InlineData("2031-03-19T03:00:00Z", "Phong Thái, ngày 19 tháng 3 năm 2031")]
    [InlineData("2027-02-05T03:00:00Z", "Phong Thái, ngày 05 tháng 02 năm 2027")]
    [InlineData("2027-01-09T03:00:00Z", "Phong Thái, ngày 09 tháng 01 năm 2027")]
    [InlineData("2027-12-31T17:30:00Z", "Phong Thái, ngày 01 tháng 01 năm 2028")] // 00:30 the next day in Vietnam (UTC+7)
    [InlineData("2027-10-10T03:00:00Z", "Phong Thái, ngày 10 tháng 10 năm 2027")]
    public void Days_below_ten_and_january_and_february_take_a_leading_zero(string at, string expected) =>
        Assert.Equal(expected, Decree30.PlaceAndDate("Phong Thái", DateTimeOffset.Parse(at)));

    [Fact]
    public void A_commune_issues_as_its_peoples_committee_in_two_lines_and_is_placed_by_its_name()
    {
        var commune = Decree30.IssuerOf("Xã Phong Thái", "commune", "Thành phố Huế", "province");
        Assert.Equal(("ỦY BAN NHÂN DÂN", "XÃ PHONG THÁI", "Phong Thái", "Ủy ban nhân dân xã Phong Thái"),
            (commune.Above, commune.Name, commune.Place, commune.Called));
        Assert.Equal("Số: 12/XL-UBND", Decree30.Number(12, "XL", commune));
        Assert.Equal("Số: 05/XL-UBND", Decree30.Number(5, "XL", commune));
        Assert.Equal("XÃ PHÚ MẬU", Decree30.IssuerOf("UBND xã Phú Mậu", "commune", null, null).Name);
    }

    [Fact]
    public void An_agency_issues_under_the_body_above_it_and_is_placed_where_that_body_is()
    {
        var police = Decree30.IssuerOf("Công an xã Phong Thái", "agency", "Xã Phong Thái", "commune");
        Assert.Equal(("UBND XÃ PHONG THÁI", "CÔNG AN XÃ PHONG THÁI", "CAXPT", "Phong Thái"), (police.Above, police.Name, police.Abbreviation, police.Place));
        Assert.False(police.Collegial);
    }

    [Fact]
    public void The_chair_signs_for_the_committee_a_vice_chair_for_the_chair_and_an_agencys_deputy_for_the_head()
    {
        var commune = Decree30.IssuerOf("Xã Phong Thái", "commune", null, null);
        var office = Decree30.IssuerOf("Chi nhánh Văn phòng đăng ký đất đai Phong Điền", "agency", "Thành phố Huế", "province");
        Assert.Equal(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], Decree30.Capacity(commune, new Signatory("A", "Chủ tịch UBND")));
        Assert.Equal(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], Decree30.Capacity(commune, new Signatory("B", "Phó Chủ tịch UBND")));
        Assert.Equal(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], Decree30.Capacity(office, new Signatory("C", "Phó Giám đốc")));
        Assert.Equal(["GIÁM ĐỐC"], Decree30.Capacity(office, new Signatory("D", "Giám đốc")));
        Assert.Equal(["TM. ỦY BAN NHÂN DÂN"], Decree30.Capacity(commune, null));
    }

    [Fact]
    public void The_letter_reads_as_a_document_of_the_body_at_fault_with_its_recipients_and_the_reason_said_once()
    {
        var letter = SamplePapers.All["letter-118"];
        Assert.Equal("Số: 12/XL-UBND", letter.Number);
        Assert.Equal("Phong Thái, ngày 19 tháng 3 năm 2031", letter.PlaceAndDate);
        Assert.Equal("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", letter.Title);
        Assert.Equal(["- Ông/Bà Nguyễn Văn Trễ;", "- Bộ phận Một cửa Ủy ban nhân dân xã Phong Thái;", "- Lưu: VT."], letter.Recipients);
        var signature = Assert.Single(letter.Signatures);
        Assert.Equal("Hoàng Thị Ngọc Ánh", signature.Name);
        Assert.Equal(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signature.Capacity);
        var text = PaperHtml.Render(letter);
        Assert.Equal(1, CountOf(text, "thẩm định, xác minh"));
        Assert.DoesNotContain("bước:", text);

        var decree61 = SamplePapers.All["letter-61"];
        Assert.Equal("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", decree61.Title);
        Assert.Equal("Mẫu số 04", decree61.FormLabel);
        Assert.Equal(("UBND THÀNH PHỐ HUẾ", "CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI PHONG ĐIỀN"), (decree61.Issuer.Above, decree61.Issuer.Name));
        Assert.Contains("Lý do: Cần xác minh thêm tại nơi cư trú trước đây.", PaperHtml.Render(decree61));
    }

    [Fact]
    public void The_receipt_carries_the_applicant_the_fee_the_return_and_the_qr_code_of_the_public_page()
    {
        var receipt = SamplePapers.All["form-01"];
        var html = PaperHtml.Render(receipt);
        foreach (var field in new[] { "046085001122", "Thôn Phò Ninh", "0912345678", "Không thu phí, lệ phí", "Bản chính", "Bản sao", "Nhận kết quả",
                     "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "https://motcua.example.vn/tra-cuu?ma=000.00.06.H57-310317-0007" })
            Assert.Contains(field, html);
        Assert.Equal("2.000 đồng", ReceiptForm.Fee(2000));
        Assert.NotNull(receipt.Qr);
        Assert.True(receipt.Qr!.Modules.Count > 21 && receipt.Qr.Modules.All(row => row.Count == receipt.Qr.Modules.Count));
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.OrdinalIgnoreCase).Length) / part.Length;
}

using MotCua.Notification.Deliveries;
using MotCua.Notification.Templates;
using Microsoft.Extensions.Configuration;

namespace MotCua.UnitTests;

public sealed class NotificationTemplateTests
{
    [Theory]
    [InlineData("Hồ sơ đã được tiếp nhận", "Ho so da duoc tiep nhan")]
    [InlineData("Đăng ký kết hôn, Ủy ban nhân dân", "Dang ky ket hon, Uy ban nhan dan")]
    [InlineData("Xin lỗi Ông/Bà vì sự chậm trễ", "Xin loi Ong/Ba vi su cham tre")]
    public void Sms_text_loses_its_diacritics_and_keeps_its_letters(string text, string expected) =>
        Assert.Equal(expected, Template.Unaccented(text));

    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Sms_segments_are_160_characters_alone_and_153_when_joined(int length, int segments) =>
        Assert.Equal(segments, Template.SmsSegments(new string('a', length)));

    [Fact]
    public void A_rendered_sms_fills_the_placeholders_and_drops_the_accents_it_was_given()
    {
        var sms = new Template("x", "sms", null, "Ho so {code}: {reason}").Render(new Dictionary<string, string>
        {
            ["code"] = "000.00.06.H57-231027-0361", ["reason"] = "Thiếu giấy tờ",
        });
        Assert.Equal("Ho so 000.00.06.H57-231027-0361: Thieu giay to", sms.Body);
    }

    [Theory]
    [InlineData("2027-01-12T22:30:00+07:00", "2027-01-13T07:00:00+07:00")]
    [InlineData("2027-01-13T05:00:00+07:00", "2027-01-13T07:00:00+07:00")]
    [InlineData("2027-01-13T09:00:00+07:00", "2027-01-13T09:00:00+07:00")]
    public void Reminders_to_officials_wait_out_the_night(string at, string expected)
    {
        var quiet = new QuietHours(new ConfigurationBuilder().Build());
        Assert.Equal(DateTimeOffset.Parse(expected), quiet.NextAllowed(DateTimeOffset.Parse(at)));
    }
}

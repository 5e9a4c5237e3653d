using MotCua.Contracts;
using MotCua.Hosting.Http;
using MotCua.Hosting.Security;
using MotCua.Notification.Deliveries;
using MotCua.Personnel.Officials;

namespace MotCua.UnitTests;

/// <summary>Who a notice to officials is for, and the contact an official may be given and shown.</summary>
public sealed class OfficialNoticeTests
{
    private static readonly Guid Receiving = Guid.NewGuid(), LandOffice = Guid.NewGuid(), District = Guid.NewGuid(), Holder = Guid.NewGuid();
    private static readonly DateTimeOffset At = new(2027, 3, 10, 9, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public void An_at_risk_warning_goes_to_the_holder_and_the_leaders_of_the_unit_performing_the_step()
    {
        var notice = Notices.For(new DossierAtRisk(Guid.NewGuid(), At, Guid.NewGuid(), "X-1", "P", Receiving, 1, "Thẩm định", Holder, At, At,
            "step_overdue", LandOffice))!;
        Assert.Equal([Holder], notice.Officials!.Named);
        Assert.Equal(LandOffice, notice.Officials.LeadersOf);
        Assert.Equal(new DateOnly(2027, 3, 10), notice.Officials.Day);
        // Published before StepUnitId existed: the receiving unit's step.
        var older = Notices.For(new DossierAtRisk(Guid.NewGuid(), At, Guid.NewGuid(), "X-1", "P", Receiving, 1, "Thẩm định", null, At, At, "step_overdue"))!;
        Assert.Empty(older.Officials!.Named);
        Assert.Equal(Receiving, older.Officials.LeadersOf);
    }

    [Fact]
    public void Overdue_goes_to_the_unit_at_fault_and_escalation_to_the_level_above_it()
    {
        var overdue = Notices.For(new DossierOverdue(Guid.NewGuid(), At, Guid.NewGuid(), "X-1", "P", Receiving, At, LandOffice, "Thẩm định", Holder))!;
        Assert.Equal((Holder, LandOffice), (Assert.Single(overdue.Officials!.Named), overdue.Officials.LeadersOf!.Value));
        var escalated = Notices.For(new DossierEscalated(Guid.NewGuid(), At, Guid.NewGuid(), "X-1", "P", Receiving, District, At, LandOffice, "Thẩm định", Holder))!;
        Assert.Empty(escalated.Officials!.Named);
        Assert.Equal(District, escalated.Officials.LeadersOf);
    }

    [Fact]
    public void A_hand_off_tells_its_assignee_once_and_one_without_an_assignee_tells_no_one()
    {
        DossierStepCompleted HandOff(Guid? assignee) => new(Guid.NewGuid(), At, Guid.NewGuid(), "X-1", "P", Receiving, "transfer", 0, "Tiếp nhận",
            "counter", Guid.NewGuid(), At, "on_time", 1, "Thẩm định", assignee, At.AddHours(8), At.AddDays(3));
        var notice = Notices.For(HandOff(Holder))!;
        Assert.Equal("dossier-assigned", notice.Template);
        Assert.Equal([Holder], notice.Officials!.Named);
        Assert.Null(notice.Officials.LeadersOf);
        Assert.Equal("Thẩm định", notice.Values["step"]);
        Assert.Null(Notices.For(HandOff(null)));
        // The transfer's own event repeats the hand-off: it tells no one a second time.
        Assert.Null(Notices.For(new DossierTransferred(Guid.NewGuid(), At, Guid.NewGuid(), "X-1", "P", Receiving, "Thẩm định", Holder, At, At)));
    }

    [Theory]
    [InlineData("0912345678", null, null)]
    [InlineData(" +84912345678 ", "a@b.vn", null)]
    [InlineData("0212345678", null, "contact.phone")]
    [InlineData("091234567", null, "contact.phone")]
    [InlineData(null, "not an address", "contact.email")]
    public void A_contact_is_a_vietnamese_mobile_and_an_e_mail_address(string? phone, string? email, string? badField)
    {
        var errors = new FieldErrors();
        var contact = OfficialContacts.Check(errors, "contact", new OfficialContacts.ContactRequest(phone, email));
        Assert.Equal(badField is not null, errors.Any);
        if (badField is null) Assert.Equal(phone?.Trim(), contact!.Phone);
    }

    [Fact]
    public void A_contact_is_shown_to_admins_the_official_and_the_units_leaders_and_masked_to_others()
    {
        var unit = Guid.NewGuid();
        var official = new Official(Guid.NewGuid(), "Trần Văn Đạt", "male", new DateOnly(1985, 5, 5), "Kinh", "civil_servant", "Chuyên viên",
            new Education("upper_secondary", "university", null, "none", "none"), ["specialist"], null, false, unit,
            new OfficialContact("0912345678", "dat@example.vn"));
        Caller Of(string role, Guid? at, Guid? id = null) => new(id ?? Guid.NewGuid(), "x", new HashSet<string> { role }, at);
        Assert.Equal("0912345678", official.AsSeenBy(Of("admin", null)).Contact!.Phone);
        Assert.Equal("0912345678", official.AsSeenBy(Of("leader", unit)).Contact!.Phone);
        Assert.Equal("0912345678", official.AsSeenBy(Of("specialist", unit, official.Id)).Contact!.Phone);
        Assert.Equal(new OfficialContact("0912***678", "d***@example.vn"), official.AsSeenBy(Of("specialist", unit)).Contact);
        Assert.Equal("0912***678", official.AsSeenBy(Of("leader", Guid.NewGuid())).Contact!.Phone);
    }
}

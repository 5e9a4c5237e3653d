using MotCua.Evaluation.Indicators;
using MotCua.Hosting.Security;
using MotCua.Organisation;

namespace MotCua.UnitTests;

public sealed class PeriodAndMaskingTests
{
    [Fact]
    public void An_event_late_on_31_March_in_Ha_Noi_belongs_to_the_first_quarter()
    {
        var lateEvening = new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.FromHours(7));
        Assert.Equal(["2026-03-31", "2026-03", "2026-Q1", "2026"], Period.Containing(lateEvening.ToUniversalTime()));
        Assert.Equal(["2026-04-01", "2026-04", "2026-Q2", "2026"], Period.Containing(lateEvening.AddHours(1)));
    }

    [Theory]
    // Due and settled within a day: no period closed in between.
    [InlineData("2026-03-02T08:00:00+07:00", "2026-03-02T23:30:00+07:00", "")]
    // Due 31 March 23:30, settled after midnight: overdue at the close of that day, March and Q1 (not of the year).
    [InlineData("2026-03-31T23:30:00+07:00", "2026-04-01T00:30:00+07:00", "2026-03-31,2026-03,2026-Q1")]
    // Settled exactly as the period closed still counts: it was not settled before the end.
    [InlineData("2026-12-30T08:00:00+07:00", "2027-01-01T00:00:00+07:00", "2026-12-30,2026-12-31,2026-12,2026-Q4,2026")]
    // 16:30 UTC on 31 March is 23:30 in Ha Noi: nothing ends between that and 23:45.
    [InlineData("2026-03-31T16:30:00Z", "2026-03-31T16:45:00Z", "")]
    public void Overdue_pending_counts_at_the_close_of_every_period_between_due_and_settled(string due, string settled, string periods) =>
        Assert.Equal(periods, string.Join(',', Period.EndingWithin(DateTimeOffset.Parse(due), DateTimeOffset.Parse(settled))));

    [Theory]
    [InlineData("2026-03", "2026-03-01T00:00:00+07:00", "2026-04-01T00:00:00+07:00")]
    [InlineData("2026-Q1", "2026-01-01T00:00:00+07:00", "2026-04-01T00:00:00+07:00")]
    [InlineData("2026-Q4", "2026-10-01T00:00:00+07:00", "2027-01-01T00:00:00+07:00")]
    [InlineData("2026", "2026-01-01T00:00:00+07:00", "2027-01-01T00:00:00+07:00")]
    public void A_period_runs_from_local_midnight_to_local_midnight(string period, string from, string to) =>
        Assert.Equal((DateTimeOffset.Parse(from), DateTimeOffset.Parse(to)), Period.Bounds(period));

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-Q4", true)]
    [InlineData("2026", true)]
    [InlineData("2026-13", false)]
    [InlineData("2026-Q5", false)]
    [InlineData("26-11", false)]
    public void Periods_are_months_quarters_or_years(string period, bool valid) => Assert.Equal(valid, Period.IsValid(period));

    [Theory]
    [InlineData("0912345678", "0912***678")]
    [InlineData("+84912345678", "+849***678")]
    [InlineData("an.nguyen@example.vn", "a***@example.vn")]
    public void Contact_details_are_masked(string contact, string masked) =>
        Assert.Equal(masked, contact.Contains('@') ? Masking.Email(contact) : Masking.Phone(contact));
}

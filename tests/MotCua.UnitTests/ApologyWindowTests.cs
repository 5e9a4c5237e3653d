using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Lateness;

namespace MotCua.UnitTests;

/// <summary>The apology's timing and bounds (DOMAIN.md §4) on a plain working week: 07:30–11:30 and 13:30–17:30, UTC+7.</summary>
public sealed class ApologyWindowTests
{
    private static readonly WorkingCalendar Calendar = new(WorkingCalendar.DefaultPeriods, [], []);

    private static DateTimeOffset At(string local) => DateTimeOffset.Parse(local + "+07:00");

    /// <summary>A three-day dossier received Monday 07:30 and due Wednesday 17:30: reception 1 h, appraisal 21 h, approval 1 h, return 1 h.</summary>
    private static DossierView Dossier(int current, DateTimeOffset stepStarted)
    {
        var received = At("2027-03-01T07:30:00");
        var hours = new[] { 1, 21, 1, 1 };
        var steps = hours.Select((h, i) => new DossierStep(i, $"Bước {i + 1}", "specialist", h, null,
            Calendar.AddHours(received, hours.Take(i + 1).Sum()), i == current ? stepStarted : null, i < current ? stepStarted : null, null)).ToArray();
        return new DossierView(Guid.NewGuid(), "000.00.06.H57-270301-0001", "processing", "T.1", Guid.NewGuid(), "counter",
            new Applicant("Nguyễn Văn Trễ", null, null, null, null), [], received, Calendar.AddHours(received, 24), null, 1, steps, CurrentStep: current);
    }

    [Fact]
    public void The_window_opens_a_working_day_and_an_hour_before_the_due_time()
    {
        var received = At("2027-03-01T07:30:00");
        var opens = Calendar.Add(received, ApologyWindow.OpensAfter(TimeSpan.FromHours(24), Calendar));
        Assert.Equal(At("2027-03-02T16:30:00"), opens);
        Assert.True(ApologyWindow.InTime(Calendar, opens.AddMinutes(59), At("2027-03-03T17:30:00")));
        Assert.False(ApologyWindow.InTime(Calendar, At("2027-03-03T07:31:00"), At("2027-03-03T17:30:00")));
        Assert.Equal(TimeSpan.Zero, ApologyWindow.OpensAfter(TimeSpan.FromHours(8), Calendar));
    }

    [Fact]
    public void A_dossier_will_be_late_when_its_step_is_past_its_deadline_or_its_planned_hours_exceed_the_time_left()
    {
        // Tuesday 17:15, appraisal started Monday 08:30 on time: 6.75 h of it and 2 h after it left, 8.25 h to go.
        Assert.False(ApologyWindow.WillBeLate(Dossier(1, At("2027-03-01T08:30:00")), Calendar, At("2027-03-02T17:15:00")));
        // The appraisal started only Tuesday 08:00: 21 − 8.75 + 2 = 14.25 h planned against 8.25 h left.
        Assert.True(ApologyWindow.WillBeLate(Dossier(1, At("2027-03-02T08:00:00")), Calendar, At("2027-03-02T17:15:00")));
        // Reception still open two days later: past its own deadline.
        Assert.True(ApologyWindow.WillBeLate(Dossier(0, At("2027-03-01T07:30:00")), Calendar, At("2027-03-02T17:15:00")));
    }

    [Fact]
    public void The_new_date_counts_from_the_later_of_the_due_time_and_the_letter_and_is_never_in_the_past()
    {
        var due = At("2027-03-03T17:30:00");
        Assert.Equal(At("2027-03-08T17:30:00"), ApologyWindow.Cap(Calendar, due, At("2027-03-02T17:15:00"), 24));
        // The sweeper back twelve days later: the date runs from the letter, not from the old due time.
        var back = At("2027-03-15T09:00:00");
        Assert.Equal(At("2027-03-18T09:00:00"), ApologyWindow.Cap(Calendar, due, back, 24));

        var cap = ApologyWindow.Cap(Calendar, due, back, 24);
        Assert.NotNull(ApologyWindow.Refusal(At("2027-03-10T09:00:00"), due, back, cap));
        Assert.NotNull(ApologyWindow.Refusal(At("2032-12-31T09:00:00"), due, back, cap));
        Assert.Null(ApologyWindow.Refusal(At("2027-03-17T09:00:00"), due, back, cap));
    }
}

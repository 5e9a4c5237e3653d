using MotCua.Dossier.Calendar;
using MotCua.Hosting.Time;
using MotCua.Data.Time;
using MotCua.Dossier.Dossiers;
using MotCua.Dossier.Procedures;

namespace MotCua.UnitTests;

public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    private static DateTimeOffset At(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, Vn);

    // Monday 11 January 2027 a holiday, as in the worked example of docs/domain.md §3.
    private static readonly WorkingCalendar Calendar =
        new(WorkingCalendar.DefaultPeriods, [new DateOnly(2027, 1, 11)], [new DateOnly(2027, 1, 23)]);

    [Fact]
    public void Received_friday_16_00_with_three_days_and_a_monday_holiday_is_due_thursday_16_00()
    {
        // 1.5 h Friday, 8 h Tuesday, 8 h Wednesday, 6.5 h Thursday.
        Assert.Equal(At(2027, 1, 14, 16), Calendar.AddHours(At(2027, 1, 8, 16), 24));
    }

    [Fact]
    public void Received_on_a_saturday_starts_monday_07_30_and_is_due_wednesday_17_30()
    {
        Assert.Equal(At(2027, 1, 18, 7, 30), Calendar.NextOpening(At(2027, 1, 16, 10)));
        Assert.Equal(At(2027, 1, 20, 17, 30), Calendar.AddHours(At(2027, 1, 16, 10), 24));
    }

    [Theory]
    [InlineData(2027, 1, 12, 12, 0, 2027, 1, 12, 13, 30)]  // lunch break
    [InlineData(2027, 1, 12, 18, 0, 2027, 1, 13, 7, 30)]   // evening
    [InlineData(2027, 1, 12, 11, 30, 2027, 1, 12, 13, 30)] // the morning's close
    [InlineData(2027, 1, 12, 9, 15, 2027, 1, 12, 9, 15)]   // inside working time
    [InlineData(2027, 1, 10, 9, 0, 2027, 1, 12, 7, 30)]    // Sunday before the holiday Monday
    [InlineData(2027, 1, 23, 6, 0, 2027, 1, 23, 7, 30)]    // a make-up working Saturday
    public void The_next_opening(int y, int m, int d, int h, int min, int ey, int em, int ed, int eh, int emin) =>
        Assert.Equal(At(ey, em, ed, eh, emin), Calendar.NextOpening(At(y, m, d, h, min)));

    [Fact]
    public void Working_time_between_two_instants_skips_nights_weekends_and_holidays()
    {
        Assert.Equal(TimeSpan.FromHours(1.5), Calendar.Between(At(2027, 1, 8, 16), At(2027, 1, 11, 10)));
        Assert.Equal(TimeSpan.FromHours(24), Calendar.Between(At(2027, 1, 8, 16), At(2027, 1, 14, 16)));
        Assert.Equal(TimeSpan.FromHours(2), Calendar.Between(At(2027, 1, 12, 10, 30), At(2027, 1, 12, 14, 30)));
        Assert.Equal(TimeSpan.Zero, Calendar.Between(At(2027, 1, 12, 14), At(2027, 1, 12, 9)));
    }

    private static Procedure Procedure(decimal value, string unit, params decimal[] stepHours) => new(
        "X", 1, "Thủ tục thử", "Hộ tịch", "commune", new ProcessingTime(value, unit), 0, [], false, null,
        stepHours.Select((h, i) => new ProcedureStep($"Bước {i + 1}", "specialist", h)).ToArray());

    [Fact]
    public void Each_step_is_due_at_its_share_of_the_hours_and_the_last_at_the_due_time()
    {
        var plan = Schedule.For(Calendar, Procedure(3, ProcessingTime.WorkingDays, 4, 12, 6, 2), At(2027, 1, 8, 16));
        Assert.Equal(At(2027, 1, 14, 16), plan.DueAt);
        Assert.Equal([At(2027, 1, 12, 10), At(2027, 1, 13, 16), At(2027, 1, 14, 14), At(2027, 1, 14, 16)], plan.StepDueAt);
    }

    [Fact]
    public void A_same_day_procedure_received_after_15_00_is_due_the_next_working_day()
    {
        var sameDay = Procedure(4, ProcessingTime.WorkingHours, 4);
        Assert.Equal(At(2027, 1, 12, 14), Schedule.For(Calendar, sameDay, At(2027, 1, 12, 8)).DueAt);
        Assert.Equal(At(2027, 1, 13, 11, 30), Schedule.For(Calendar, sameDay, At(2027, 1, 12, 15, 30)).DueAt);
        // A longer procedure keeps counting from the afternoon: 2 h Tuesday, 8 h Wednesday, 6 h Thursday.
        Assert.Equal(At(2027, 1, 14, 15, 30), Schedule.For(Calendar, Procedure(2, ProcessingTime.WorkingDays, 16), At(2027, 1, 12, 15, 30)).DueAt);
    }

    [Theory]
    [InlineData(2027, 1, 14, 15, "on_time")]
    [InlineData(2027, 1, 14, 16, "on_time")]
    [InlineData(2027, 1, 13, 17, "early")]
    [InlineData(2027, 1, 14, 17, "late")]
    public void Timeliness_against_a_deadline_of_thursday_16_00(int y, int m, int d, int h, string expected) =>
        Assert.Equal(expected, Timeliness.Of(At(y, m, d, h), At(2027, 1, 14, 16)));

    [Fact]
    public void Dossiers_received_from_1_july_2025_follow_decree_118()
    {
        Assert.Equal("ND61-2018", RuleSets.For(At(2025, 6, 30, 17)));
        Assert.Equal("ND118-2025", RuleSets.For(At(2025, 7, 1, 7, 30)));
    }
}

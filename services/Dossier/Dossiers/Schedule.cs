using MotCua.Dossier.Calendar;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// A dossier's deadlines from its procedure: the clock starts at receipt (moved to the next opening when
/// received outside working time; a same-day procedure received after the afternoon cut-off starts the
/// next working day), the due time is start + the statutory working hours, and each step is due at start
/// + the hours of the steps up to and including it.
/// </summary>
public static class Schedule
{
    /// <summary>Received after this (local time), a procedure of one working day or less is due the next working day.</summary>
    public static readonly TimeOnly SameDayCutoff = new(15, 0);

    public sealed record Plan(DateTimeOffset Start, DateTimeOffset DueAt, IReadOnlyList<DateTimeOffset> StepDueAt);

    public static Plan For(WorkingCalendar calendar, Procedure procedure, DateTimeOffset receivedAt)
    {
        var start = calendar.NextOpening(receivedAt);
        var local = receivedAt.ToOffset(WorkingCalendar.Offset);
        var statutory = procedure.ProcessingTime.HoursIn(calendar.WorkingDay);
        if (statutory <= (decimal)calendar.WorkingDay.TotalHours && TimeOnly.FromDateTime(local.DateTime) >= SameDayCutoff
            && DateOnly.FromDateTime(start.ToOffset(WorkingCalendar.Offset).DateTime) == DateOnly.FromDateTime(local.DateTime))
            start = calendar.NextOpening(new DateTimeOffset(local.Date.AddDays(1), WorkingCalendar.Offset));

        var cumulative = 0m;
        var steps = procedure.Steps.Select(step => calendar.AddHours(start, (double)(cumulative += step.Hours))).ToArray();
        return new Plan(start, calendar.AddHours(start, (double)statutory), steps);
    }
}

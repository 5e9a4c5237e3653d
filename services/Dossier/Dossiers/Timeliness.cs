using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// Trước hạn / đúng hạn / quá hạn on the control sheet: finished on an earlier day than the deadline is
/// early, on the deadline's day and not after it on time, after the deadline late.
/// </summary>
public static class Timeliness
{
    public const string Early = "early";
    public const string OnTime = "on_time";
    public const string Late = "late";

    public static string Of(DateTimeOffset finishedAt, DateTimeOffset dueAt)
    {
        if (finishedAt > dueAt) return Late;
        var finishedDay = DateOnly.FromDateTime(finishedAt.ToOffset(WorkingCalendar.Offset).DateTime);
        var dueDay = DateOnly.FromDateTime(dueAt.ToOffset(WorkingCalendar.Offset).DateTime);
        return finishedDay < dueDay ? Early : OnTime;
    }
}

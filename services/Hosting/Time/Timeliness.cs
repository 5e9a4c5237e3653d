namespace MotCua.Hosting.Time;

/// <summary>
/// Trước hạn / đúng hạn / quá hạn on the control sheet: finished on an earlier day than the deadline is
/// early, on the deadline's day and not after it on time, after the deadline late (days in Viet Nam).
/// </summary>
public static class Timeliness
{
    public const string Early = "early";
    public const string OnTime = "on_time";
    public const string Late = "late";

    public static string Of(DateTimeOffset finishedAt, DateTimeOffset dueAt)
    {
        if (finishedAt > dueAt) return Late;
        var finishedDay = DateOnly.FromDateTime(VietnamTime.ToLocal(finishedAt).DateTime);
        var dueDay = DateOnly.FromDateTime(VietnamTime.ToLocal(dueAt).DateTime);
        return finishedDay < dueDay ? Early : OnTime;
    }
}

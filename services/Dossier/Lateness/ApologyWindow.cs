using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// When a dossier's apology is due and what it may promise (DOMAIN.md §4): the law asks for it no later than one working
/// day before the due time, from the unit at fault, with one new date counted from when the letter goes out.
/// </summary>
public static class ApologyWindow
{
    /// <summary>
    /// The window opens this much working time before the last working day begins, so the letter is out a full working
    /// day ahead even when the sweeper looks a little after the window opens (a sweep behind, a clock moved an hour at a time).
    /// </summary>
    public static readonly TimeSpan Lead = TimeSpan.FromHours(1);

    /// <summary>Working time from the start of processing until the window opens (0: a procedure shorter than a day opens it at once).</summary>
    public static TimeSpan OpensAfter(TimeSpan processing, WorkingCalendar calendar) =>
        processing - calendar.WorkingDay - Lead is { } lead && lead > TimeSpan.Zero ? lead : TimeSpan.Zero;

    /// <summary>At least one working day before the due time, as the law asks.</summary>
    public static bool InTime(WorkingCalendar calendar, DateTimeOffset issuedAt, DateTimeOffset dueAt) =>
        calendar.Between(issuedAt, dueAt) >= calendar.WorkingDay;

    /// <summary>
    /// Whether the dossier will not make its due time: the step in progress is past its own deadline, or the planned hours
    /// left (the rest of that step's and all of the later steps') exceed the working time left.
    /// </summary>
    public static bool WillBeLate(DossierView dossier, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (dossier.Current is not { } step) return false;
        if (now > step.DueAt) return true;
        var rest = TimeSpan.FromHours((double)step.Hours) - calendar.Between(step.StartedAt ?? now, now);
        var planned = (rest > TimeSpan.Zero ? rest : TimeSpan.Zero)
            + TimeSpan.FromHours((double)dossier.Steps.Where(s => s.Index > step.Index).Sum(s => s.Hours));
        return planned - calendar.Between(now, dossier.NewDueAt ?? dossier.DueAt!.Value) > Slack;
    }

    /// <summary>
    /// A plan that just fills the time left is on time: instants are kept to the microsecond, so a due time read back can be
    /// a hair earlier than the one computed, and that is no reason to apologise.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The latest new date a letter going out at <paramref name="now"/> may promise (the cap): the later of the previous due
    /// time and the letter, plus the procedure's extension, on the working calendar. The platform's own letters promise it.
    /// </summary>
    public static DateTimeOffset Cap(WorkingCalendar calendar, DateTimeOffset previousDue, DateTimeOffset now, decimal extensionHours) =>
        calendar.AddHours(previousDue > now ? previousDue : now, (double)extensionHours);

    /// <summary>A new date by hand: later than the previous due time and than now, and no later than <see cref="Cap"/>.</summary>
    public static string? Refusal(DateTimeOffset newDue, DateTimeOffset previousDue, DateTimeOffset now, DateTimeOffset cap)
    {
        var floor = previousDue > now ? previousDue : now;
        if (newDue <= floor)
            return $"Ngày hẹn mới phải sau {VietnamTime.ToLocal(floor):HH:mm dd/MM/yyyy} (" + (previousDue > now ? "hạn trả kết quả hiện tại" : "thời điểm ban hành") + ").";
        if (newDue > cap)
            return $"Ngày hẹn mới không được quá thời gian gia hạn của thủ tục: chậm nhất {VietnamTime.ToLocal(cap):HH:mm dd/MM/yyyy}.";
        return null;
    }
}

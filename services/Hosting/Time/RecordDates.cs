namespace MotCua.Hosting.Time;

/// <summary>
/// The dates a dossier, a calendar or a reporting period can be about: from 2000 (before any one-stop software) to the
/// end of 2100. A date outside is a typing error or an attack, refused with a 400 before any arithmetic on it, so no
/// computed due date, period end or clock reading can fall off the calendar.
/// </summary>
public static class RecordDates
{
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2100, 12, 31);

    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    public static string Range => $"From {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}.";
}

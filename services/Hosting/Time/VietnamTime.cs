namespace MotCua.Hosting.Time;

/// <summary>The calendar, dossier codes and reporting periods all work in Asia/Ho_Chi_Minh (UTC+7, no DST).</summary>
public static class VietnamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant as PostgreSQL keeps it (microseconds), so what a service answers equals what it stored.</summary>
    public static DateTimeOffset ToDatabasePrecision(this DateTimeOffset instant) =>
        instant.AddTicks(-(instant.UtcTicks % TimeSpan.TicksPerMicrosecond));

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToLocal(time.GetUtcNow()).DateTime);
}

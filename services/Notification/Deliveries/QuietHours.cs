using MotCua.Hosting.Time;
using MotCua.Data.Time;

namespace MotCua.Notification.Deliveries;

/// <summary>
/// Non-urgent reminders to officials wait out the night: between <c>Notification:QuietHours:From</c> (21:00)
/// and <c>:To</c> (07:00), local time, they are held until the end of the quiet period.
/// </summary>
public sealed class QuietHours(IConfiguration configuration)
{
    private readonly TimeOnly _from = TimeOnly.Parse(configuration["Notification:QuietHours:From"] ?? "21:00", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TimeOnly _to = TimeOnly.Parse(configuration["Notification:QuietHours:To"] ?? "07:00", System.Globalization.CultureInfo.InvariantCulture);

    public DateTimeOffset NextAllowed(DateTimeOffset now)
    {
        var local = VietnamTime.ToLocal(now);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var quiet = _from > _to ? time >= _from || time < _to : time >= _from && time < _to;
        if (!quiet) return now;
        var day = time >= _from && _from > _to ? local.Date.AddDays(1) : local.Date;
        return new DateTimeOffset(day + _to.ToTimeSpan(), local.Offset).ToUniversalTime();
    }
}

using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;

namespace MotCua.Data.Time;

/// <summary>
/// <c>GET|POST /api/admin/clock</c>: present only with <c>MOTCUA_CLOCK=simulated</c>. Besides the public
/// <c>advanceBy</c>/<c>advanceTo</c>, a service accepts <c>offset</c> so the gateway can bring every
/// instance to the offset the first one chose.
/// </summary>
public static class ClockApi
{
    public sealed record ClockMove(string? AdvanceBy, DateTimeOffset? AdvanceTo, string? Offset);

    public sealed record ClockState(DateTimeOffset Now, string Offset);

    public static void MapClockApi(this IEndpointRouteBuilder app)
    {
        var clock = app.MapGroup("/api/admin/clock").RequireAuthorization(Policies.Admin);
        clock.MapGet("", (SimulatedClock simulated) => State(simulated));
        clock.MapPost("", Move);
    }

    private static ClockState State(SimulatedClock clock) =>
        new(clock.GetUtcNow(), XmlConvert.ToString(clock.Offset));

    /// <summary>Far enough for any rehearsal of a law's dates, near enough that every date stays a date.</summary>
    private const int MaxOffsetYears = 50;

    private static readonly TimeSpan MaxOffset = TimeSpan.FromDays(365.25 * MaxOffsetYears);

    private static async Task<IResult> Move(ClockMove? move, SimulatedClock clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var given = new[] { move?.AdvanceBy is not null, move?.AdvanceTo is not null, move?.Offset is not null }.Count(x => x);
        if (move is null || given != 1)
            return errors.Add("advanceBy", "Give exactly one of advanceBy (ISO 8601 duration) or advanceTo (instant).").ToResult();

        var now = clock.GetUtcNow();
        TimeSpan offset;
        if (move.AdvanceTo is { } to)
            offset = clock.Offset + (to.UtcDateTime - now.UtcDateTime);
        else if (TryDuration(move.AdvanceBy ?? move.Offset!, out var span))
            // Checked against the bound before adding: a duration of millennia would overflow the sum.
            offset = span > MaxOffset || span < -MaxOffset ? span : move.AdvanceBy is not null ? clock.Offset + span : span;
        else
            return errors.Add(move.AdvanceBy is not null ? "advanceBy" : "offset",
                "Not an ISO 8601 duration such as PT8H or P1DT2H.").ToResult();

        if (move.AdvanceBy is not null && offset < clock.Offset)
            return errors.Add("advanceBy", "The clock only moves forward.").ToResult();
        if (offset > MaxOffset || offset < -MaxOffset)
            return errors.Add(move.AdvanceTo is not null ? "advanceTo" : move.AdvanceBy is not null ? "advanceBy" : "offset",
                $"At most {MaxOffsetYears} years from the real time.").ToResult();
        if (!await clock.SetOffsetAsync(offset, ct))
            return Problems.Conflict("The simulated clock only moves forward; that time is in its past.");
        return Results.Ok(State(clock));
    }

    private static bool TryDuration(string text, out TimeSpan span)
    {
        try
        {
            span = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            span = default;
            return false;
        }
    }
}

using MotCua.Evaluation.Policy;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// <c>GET /api/evaluation/units/{unitId}?period=&amp;format=csv</c> for the unit's subtree; the period (month, quarter,
/// year) defaults to the current month. Received counts by reception, resolved (early, on time, late) by the result,
/// apologies and escalations by their date, all in the period; overdue pending are the subtree's dossiers past their
/// statutory due time (an apology's new date does not make them on time) and still without a result at the period's
/// end, or now. Processing time is in working hours, less the time the clock stood waiting for the citizen.
/// Decision 766: progress = on time ÷ (on time + late + overdue pending) × 20, satisfaction = satisfied share × 18,
/// online = received online ÷ received × 22; publicity and digitisation are not measured by this platform. Communes
/// are classified yearly from the measured score, by the thresholds of <see cref="EvaluationPolicy"/>.
/// </summary>
public static class UnitReport
{
    public sealed record Indicators(
        Guid UnitId, string Period, long Received, long Online, long Resolved, long Early, long OnTime, long Late, long OverduePending,
        long Apologies, long ApologiesNotInTime, long Escalations, decimal? OnTimeRate, ProcessingTime ProcessingTime, Satisfaction Satisfaction,
        FeedbackFigures Feedback, Index766 Index766, Classification? Classification);

    /// <summary>
    /// Working hours from reception to result; the 90th percentile (nearest rank) of the times rounded to the nearest
    /// quarter hour, for months, quarters and years (a day has its average only).
    /// </summary>
    public sealed record ProcessingTime(long Measured, decimal? AverageWorkingHours, decimal? P90WorkingHours);

    public sealed record Satisfaction(long Ratings, long VerySatisfied, long Satisfied, long Neutral, long Dissatisfied, decimal? SatisfiedShare);

    public sealed record FeedbackFigures(long Received, long Answered, long AnsweredLate, long OverdueUnanswered, decimal? AnsweredOnTimeRate);

    /// <summary>Decision 766's groups: null where there is nothing to measure yet, "not_measured" where our data cannot.</summary>
    public sealed record Index766(
        decimal? Progress, decimal? Satisfaction, decimal? Online, string Publicity, string Digitisation, decimal MeasuredPoints,
        int MeasuredOutOf, decimal? Score);

    public sealed record Classification(string Grade, string Label, decimal Score);

    private const string NotMeasured = "not_measured";

    public static void MapUnitReport(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/evaluation/units/{unitId:guid}", Get);

    private static async Task<IResult> Get(
        Guid unitId, string? period, string? format, HttpContext http, UnitScope scope, NpgsqlDataSource dataSource, TimeProvider time,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var csv = Csv.Requested(http.Request, format, errors);
        var (asked, asOf) = ReportingPeriod.Parse(period, time, errors);
        if (errors.Any) return errors.ToResult();
        if (!await scope.CoversAsync(http, unitId)) return Problems.NotFound($"No unit {unitId} among yours.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var figures = (await Figures.LoadAsync(connection, unitId, asked, asOf, byChild: false, ct))[unitId];
        var processing = await Figures.ProcessingAsync(connection, unitId, asked, ct);
        var policy = await EvaluationPolicy.LoadAsync(connection, ct);
        var indicators = Compute(unitId, asked, figures, processing, policy);
        return csv ? ToCsv(indicators).ToResult($"evaluation-{unitId}-{asked}.csv") : Results.Ok(indicators);
    }

    public static Indicators Compute(
        Guid unitId, string period, Figures f, IReadOnlyList<(int QuarterHours, long Dossiers)>? processing, EvaluationPolicy.Policy policy)
    {
        var onTime = f[Counter.Early] + f[Counter.OnTime];
        var late = f[Counter.Late];
        var pending = f.OverduePending;
        var ratings = f[Counter.RatedVerySatisfied] + f[Counter.RatedSatisfied] + f[Counter.RatedNeutral] + f[Counter.RatedDissatisfied];
        var pleased = f[Counter.RatedVerySatisfied] + f[Counter.RatedSatisfied];
        var measured = f[Counter.ProcessingMeasured];

        var progress = Share(onTime, onTime + late + pending, 20);
        var satisfaction = Share(pleased, ratings, 18);
        var online = Share(f[Counter.ReceivedOnline], f[Counter.Received], 22);
        var groups = new (decimal? Points, int Max)[] { (progress, 20), (satisfaction, 18), (online, 22) }.Where(g => g.Points is not null).ToList();
        var points = groups.Sum(g => g.Points!.Value);
        var outOf = groups.Sum(g => g.Max);
        var score = outOf == 0 ? (decimal?)null : Math.Round(100 * points / outOf, 2, MidpointRounding.AwayFromZero);
        var onTimeRate = Share(onTime, onTime + late, 100);
        var answered = f[Counter.FeedbackAnswered];

        return new Indicators(unitId, period, f[Counter.Received], f[Counter.ReceivedOnline], f[Counter.Resolved], f[Counter.Early], onTime,
            late, pending, f[Counter.Apologies], f[Counter.ApologiesNotInTime], f[Counter.Escalations], onTimeRate,
            new ProcessingTime(measured,
                measured == 0 ? null : Math.Round((decimal)f[Counter.ProcessingSeconds] / measured / 3600, 2, MidpointRounding.AwayFromZero),
                processing is null ? null : Percentile(processing, 0.9m)),
            new Satisfaction(ratings, f[Counter.RatedVerySatisfied], f[Counter.RatedSatisfied], f[Counter.RatedNeutral],
                f[Counter.RatedDissatisfied], Share(pleased, ratings, 100)),
            new FeedbackFigures(f[Counter.FeedbackReceived], answered, f[Counter.FeedbackAnsweredLate], f.FeedbackOverdue,
                Share(answered - f[Counter.FeedbackAnsweredLate], answered, 100)),
            new Index766(progress, satisfaction, online, NotMeasured, NotMeasured, points, outOf, score),
            Classify(period, score, onTimeRate, policy));
    }

    /// <summary>Communes are classified by the year (docs/domain.md §5); the first grade, best first, whose thresholds are met.</summary>
    private static Classification? Classify(string period, decimal? score, decimal? onTimeRate, EvaluationPolicy.Policy policy)
    {
        if (period.Length != 4 || score is not { } value) return null;
        var grade = policy.CommuneGrades.FirstOrDefault(g => value >= g.MinScore && (g.MinOnTimeRate is not { } min || onTimeRate >= min));
        return grade is null ? null : new Classification(grade.Grade, grade.Label, value);
    }

    private static decimal? Percentile(IReadOnlyList<(int QuarterHours, long Dossiers)> histogram, decimal fraction)
    {
        var total = histogram.Sum(h => h.Dossiers);
        if (total == 0) return null;
        var rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        foreach (var (quarterHours, dossiers) in histogram)
            if ((seen += dossiers) >= rank) return quarterHours / 4m;
        return histogram[^1].QuarterHours / 4m;
    }

    public static decimal? Share(long part, long whole, decimal scale) =>
        whole == 0 ? null : Math.Round(scale * part / whole, 2, MidpointRounding.AwayFromZero);

    private static Csv.Table ToCsv(Indicators i)
    {
        var table = new Csv.Table("unit_id", "period", "indicator", "value");
        void Row(string name, object? value) => table.Row(i.UnitId, i.Period, name, value);
        Row("received", i.Received);
        Row("received_online", i.Online);
        Row("resolved", i.Resolved);
        Row("early", i.Early);
        Row("on_time", i.OnTime);
        Row("late", i.Late);
        Row("overdue_pending", i.OverduePending);
        Row("apologies", i.Apologies);
        Row("apologies_not_in_time", i.ApologiesNotInTime);
        Row("escalations", i.Escalations);
        Row("on_time_rate", i.OnTimeRate);
        Row("processing_measured", i.ProcessingTime.Measured);
        Row("processing_average_working_hours", i.ProcessingTime.AverageWorkingHours);
        Row("processing_p90_working_hours", i.ProcessingTime.P90WorkingHours);
        Row("ratings", i.Satisfaction.Ratings);
        Row("very_satisfied", i.Satisfaction.VerySatisfied);
        Row("satisfied", i.Satisfaction.Satisfied);
        Row("neutral", i.Satisfaction.Neutral);
        Row("dissatisfied", i.Satisfaction.Dissatisfied);
        Row("satisfied_share", i.Satisfaction.SatisfiedShare);
        Row("feedback_received", i.Feedback.Received);
        Row("feedback_answered", i.Feedback.Answered);
        Row("feedback_answered_late", i.Feedback.AnsweredLate);
        Row("feedback_overdue_unanswered", i.Feedback.OverdueUnanswered);
        Row("feedback_answered_on_time_rate", i.Feedback.AnsweredOnTimeRate);
        Row("index766_progress", i.Index766.Progress);
        Row("index766_satisfaction", i.Index766.Satisfaction);
        Row("index766_online", i.Index766.Online);
        Row("index766_publicity", i.Index766.Publicity);
        Row("index766_digitisation", i.Index766.Digitisation);
        Row("index766_measured_points", i.Index766.MeasuredPoints);
        Row("index766_measured_out_of", i.Index766.MeasuredOutOf);
        Row("index766_score", i.Index766.Score);
        Row("classification", i.Classification?.Grade);
        return table;
    }
}

using MotCua.Data.Database;
using MotCua.Hosting.Http;
using MotCua.Data.Http;
using MotCua.Hosting.Security;
using MotCua.Organisation;
using Npgsql;

namespace MotCua.Evaluation.Policy;

/// <summary>
/// The province's evaluation policy, as data: how Decree 335's 70 task-result points split between quantity,
/// quality and timeliness, the share of "excellent" allowed among those rated good or better, and the grades
/// communes are classified into by their Decision 766 score and on-time rate. <c>GET /api/evaluation/policy</c>;
/// an administrator replaces it with <c>PUT</c>.
/// </summary>
public static class EvaluationPolicy
{
    public sealed record TaskResultWeights(decimal Quantity, decimal Quality, decimal Timeliness, decimal ExcellentShare);

    /// <summary>A commune grade (xếp loại): reached with at least <see cref="MinScore"/> (percent of the 766 points measured) and, when set, <see cref="MinOnTimeRate"/>.</summary>
    public sealed record CommuneGrade(string Grade, string Label, decimal MinScore, decimal? MinOnTimeRate);

    public sealed record Policy(TaskResultWeights TaskResults, IReadOnlyList<CommuneGrade> CommuneGrades);

    /// <summary>Decree 335/2025: task results are worth 70 of the 100 points.</summary>
    public const decimal TaskResultPoints = 70;

    public static void MapEvaluationPolicy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/evaluation/policy", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return Results.Ok(await LoadAsync(connection, ct));
        });
        app.MapPut("/api/evaluation/policy", Replace).RequireAuthorization(Policies.Admin);
    }

    public static async Task<Policy> LoadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var weights = (await connection.ListAsync(null, "SELECT quantity_points, quality_points, timeliness_points, excellent_share FROM evaluation_policy",
            r => new TaskResultWeights(r.GetDecimal(0), r.GetDecimal(1), r.GetDecimal(2), r.GetDecimal(3)), ct)).Single();
        var grades = await connection.ListAsync(null, "SELECT grade, label, min_score, min_on_time_rate FROM commune_grades ORDER BY rank",
            r => new CommuneGrade(r.GetString(0), r.GetString(1), r.GetDecimal(2), r.Nullable<decimal>(3)), ct);
        return new Policy(weights, grades);
    }

    private static async Task<IResult> Replace(Policy? policy, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var weights = policy?.TaskResults;
        if (weights is null) errors.Add("taskResults", "Required.");
        else
        {
            if (weights.Quantity < 0 || weights.Quality < 0 || weights.Timeliness < 0 || weights.Quantity + weights.Quality + weights.Timeliness != TaskResultPoints)
                errors.Add("taskResults", $"quantity, quality and timeliness are non-negative and add up to {TaskResultPoints}.");
            if (weights.ExcellentShare is < 0 or > 1) errors.Add("taskResults.excellentShare", "Between 0 and 1.");
        }
        var grades = policy?.CommuneGrades ?? [];
        if (grades.Count == 0) errors.Add("communeGrades", "At least one grade, best first.");
        for (var i = 0; i < grades.Count; i++)
        {
            var grade = grades[i];
            if (string.IsNullOrWhiteSpace(grade.Grade) || grade.Grade.Length > 40) errors.Add($"communeGrades[{i}].grade", "Required, at most 40 characters.");
            if (string.IsNullOrWhiteSpace(grade.Label) || grade.Label.Length > 100) errors.Add($"communeGrades[{i}].label", "Required, at most 100 characters.");
            if (grade.MinScore is < 0 or > 100) errors.Add($"communeGrades[{i}].minScore", "Between 0 and 100.");
            if (grade.MinOnTimeRate is < 0 or > 100) errors.Add($"communeGrades[{i}].minOnTimeRate", "Between 0 and 100.");
            if (i > 0 && grade.MinScore > grades[i - 1].MinScore) errors.Add($"communeGrades[{i}].minScore", "Grades go best first: not above the previous grade's.");
        }
        if (grades.Select(g => g.Grade).Distinct().Count() != grades.Count) errors.Add("communeGrades", "Each grade once.");
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(tx, """
            UPDATE evaluation_policy SET quantity_points = $1, quality_points = $2, timeliness_points = $3, excellent_share = $4
            """, ct, weights!.Quantity, weights.Quality, weights.Timeliness, weights.ExcellentShare);
        await connection.ExecuteAsync(tx, "DELETE FROM commune_grades", ct);
        await connection.ExecuteAsync(tx, """
            INSERT INTO commune_grades (grade, label, rank, min_score, min_on_time_rate)
            SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::numeric[], $5::numeric[])
            """, ct, grades.Select(g => g.Grade.Trim()).ToArray(), grades.Select(g => g.Label.Trim()).ToArray(),
            Enumerable.Range(1, grades.Count).ToArray(), grades.Select(g => g.MinScore).ToArray(), grades.Select(g => g.MinOnTimeRate).ToArray());
        var saved = await LoadAsync(connection, ct);
        await tx.CommitAsync(ct);
        return Results.Ok(saved);
    }
}

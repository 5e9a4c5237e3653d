using MotCua.Personnel.Officials;

namespace MotCua.Personnel.Standards;

/// <summary>
/// Đạt chuẩn: whether an official meets the standard of their title, from rules held as data.
/// A rule for (category, title) overrides the category's default (title ''); a null minimum asks nothing.
/// <c>GET /api/standards</c> lists them, <c>PUT /api/standards</c> replaces them (admin).
/// </summary>
public sealed record StandardRule(
    string Category, string? Title, string? MinGeneral, string? MinProfessional, string? MinPoliticalTheory, string? MinStateManagement);

public sealed class StandardRuleSet(IReadOnlyList<StandardRule> rules)
{
    public IReadOnlyList<StandardRule> Rules => rules;

    public StandardRule? RuleFor(string category, string title) =>
        rules.FirstOrDefault(r => r.Category == category && string.Equals(r.Title, title, StringComparison.OrdinalIgnoreCase))
        ?? rules.FirstOrDefault(r => r.Category == category && string.IsNullOrEmpty(r.Title));

    public bool Meets(Official official)
    {
        var rule = RuleFor(official.Category, official.Title);
        var e = official.Education;
        return rule is null
            || (Qualifications.General.AtLeast(e.General!, rule.MinGeneral)
                && Qualifications.Professional.AtLeast(e.Professional!, rule.MinProfessional)
                && Qualifications.PoliticalTheory.AtLeast(e.PoliticalTheory!, rule.MinPoliticalTheory)
                && Qualifications.StateManagement.AtLeast(e.StateManagement!, rule.MinStateManagement));
    }

    public static async Task<StandardRuleSet> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct) =>
        new(await connection.ListAsync(tx, """
            SELECT category, title, min_general, min_professional, min_political_theory, min_state_management
            FROM standard_rules ORDER BY category, title
            """, r => new StandardRule(r.GetString(0), r.GetString(1) is { Length: > 0 } t ? t : null, r.NullableString(2),
            r.NullableString(3), r.NullableString(4), r.NullableString(5)), ct));
}

public static class StandardRulesApi
{
    public static void MapStandardRules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/standards", async (NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return Results.Ok((await StandardRuleSet.LoadAsync(connection, null, ct)).Rules);
        });
        app.MapPut("/api/standards", Replace).RequireAuthorization(Policies.Admin);
    }

    private static async Task<IResult> Replace(List<StandardRule?>? rules, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (rules is null) return errors.Add("body", "A JSON array of rules is required.").ToResult();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"[{i}].";
            if (rule is null) { errors.Add($"[{i}]", "A rule object."); continue; }
            if (!Qualifications.Categories.Contains(rule.Category)) errors.Add(at + "category", "One of: " + string.Join(", ", Qualifications.Categories) + ".");
            if (rule.Title is { Length: > 200 }) errors.Add(at + "title", "At most 200 characters.");
            Qualifications.General.Check(errors, at + "minGeneral", rule.MinGeneral, required: false);
            Qualifications.Professional.Check(errors, at + "minProfessional", rule.MinProfessional, required: false);
            Qualifications.PoliticalTheory.Check(errors, at + "minPoliticalTheory", rule.MinPoliticalTheory, required: false);
            Qualifications.StateManagement.Check(errors, at + "minStateManagement", rule.MinStateManagement, required: false);
        }
        var duplicates = rules.OfType<StandardRule>().GroupBy(r => (r.Category, (r.Title ?? "").ToLowerInvariant())).Where(g => g.Count() > 1);
        foreach (var duplicate in duplicates) errors.Add("body", $"Two rules for {duplicate.Key.Category} / '{duplicate.Key.Item2}'.");
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(tx, "DELETE FROM standard_rules", ct);
        foreach (var rule in rules.OfType<StandardRule>())
            await connection.ExecuteAsync(tx, """
                INSERT INTO standard_rules (category, title, min_general, min_professional, min_political_theory, min_state_management)
                VALUES ($1, $2, $3, $4, $5, $6)
                """, ct, rule.Category, rule.Title ?? "", rule.MinGeneral, rule.MinProfessional, rule.MinPoliticalTheory, rule.MinStateManagement);
        await tx.CommitAsync(ct);
        return Results.Ok((await StandardRuleSet.LoadAsync(connection, null, ct)).Rules);
    }
}

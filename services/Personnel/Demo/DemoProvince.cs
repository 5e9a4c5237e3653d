using MotCua.Personnel.Accounts;
using MotCua.Contracts;
using NpgsqlTypes;

namespace MotCua.Personnel.Demo;

/// <summary>
/// <c>POST /api/admin/demo { seed }</c> (admin): loads <see cref="DemoPopulation"/> in one transaction and
/// announces every unit and official, so the other services' copies fill as they would in production.
/// Counter officers, specialists and leaders get accounts named <c>&lt;unit code&gt;.&lt;role&gt;&lt;n&gt;</c>
/// (e.g. <c>t46-d01-01.counter1</c>), all with the password <c>Demo:Password</c>.
/// </summary>
public static class DemoProvince
{
    public sealed record DemoRequest(int? Seed);

    public sealed record DemoLoaded(Guid ProvinceId, int Units, int Officials, int Accounts, string SampleUsername);

    public static void MapDemoProvince(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/admin/demo", Load).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Load(
        DemoRequest? request, NpgsqlDataSource dataSource, TimeProvider time, IConfiguration configuration, CancellationToken ct)
    {
        var seed = request?.Seed ?? 2025;
        var password = configuration["Demo:Password"] ?? "motcua-demo";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM units WHERE code = $1", ct, DemoPopulation.ProvinceCode) > 0)
            return Problems.Conflict("The demo province is already loaded.");

        var now = time.GetUtcNow();
        var today = VietnamTime.Today(time);
        var from = today.AddYears(-2);
        var unitIds = new Dictionary<string, Guid>();
        foreach (var unit in DemoPopulation.Units())
        {
            var id = unitIds[unit.Code] = Guid.NewGuid();
            Guid? parent = unit.ParentCode is null ? null : unitIds[unit.ParentCode];
            await connection.ExecuteAsync(tx, """
                INSERT INTO units (id, code, name, type, parent_id, agency_code, valid_from, created_at, agency_kind)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, ct, id, unit.Code, unit.Name, unit.Type, parent, unit.AgencyCode, from, now, unit.AgencyKind);
            await Outbox.EnqueueAsync(connection, tx,
                new UnitRegistered(Guid.NewGuid(), now, id, unit.Code, unit.Name, unit.Type, parent, unit.AgencyCode, from, unit.AgencyKind), ct);
        }

        var positions = await CreatePositionsAsync(connection, tx, unitIds, now, ct);
        var officials = DemoPopulation.Officials(seed);
        var ids = officials.Select(_ => Guid.NewGuid()).ToArray();
        var hash = Credentials.Hash("demo", password);
        var accounts = new List<(Guid Official, string Username, string[] Roles)>();
        var perRole = new Dictionary<string, int>();

        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY officials (id, full_name, gender, birth_date, ethnicity, category, title, general_education, professional_level,
                political_theory, state_management, roles, position_id, created_at) FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < officials.Count; i++)
            {
                var o = officials[i];
                positions.TryGetValue((o.UnitCode, o.Title), out var position);
                await copy.WriteRowAsync(ct, ids[i], o.FullName, o.Gender, o.BirthDate, o.Ethnicity, o.Category, o.Title,
                    o.Education.General, o.Education.Professional, o.Education.PoliticalTheory, o.Education.StateManagement,
                    o.Roles, position == Guid.Empty ? DBNull.Value : position, now);
                if (o.Roles[0] is "counter" or "specialist" or "leader")
                {
                    var key = o.UnitCode + "." + o.Roles[0];
                    perRole[key] = perRole.GetValueOrDefault(key) + 1;
                    accounts.Add((ids[i], $"{key.ToLowerInvariant()}{perRole[key]}", o.Roles));
                }
            }
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY postings (official_id, unit_id, valid_from) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < officials.Count; i++)
                await copy.WriteRowAsync(ct, ids[i], unitIds[officials[i].UnitCode], from);
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY trainings (id, official_id, course, kind, completed_on) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < officials.Count; i++)
                if (officials[i].HasTraining)
                    await copy.WriteRowAsync(ct, Guid.NewGuid(), ids[i], "Bồi dưỡng kỹ năng giải quyết thủ tục hành chính", "short_course", from.AddMonths(6));
            await copy.CompleteAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY accounts (id, username, password_hash, official_id, roles, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (official, username, roles) in accounts)
                await copy.WriteRowAsync(ct, Guid.NewGuid(), username, hash, official, roles, now);
            await copy.CompleteAsync(ct);
        }
        for (var i = 0; i < officials.Count; i++)
        {
            var o = officials[i];
            await Outbox.EnqueueAsync(connection, tx, new OfficialRegistered(Guid.NewGuid(), now, ids[i], o.FullName,
                unitIds[o.UnitCode], o.Category, o.Title, o.Roles, from), ct);
        }
        await tx.CommitAsync(ct);
        return Results.Created($"/api/units/{unitIds[DemoPopulation.ProvinceCode]}", new DemoLoaded(
            unitIds[DemoPopulation.ProvinceCode], unitIds.Count, officials.Count, accounts.Count, accounts[0].Username));
    }

    /// <summary>One position per civil-servant title in each commune-level unit, quota 2, from trung cấp.</summary>
    private static async Task<Dictionary<(string Unit, string Title), Guid>> CreatePositionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Dictionary<string, Guid> unitIds, DateTimeOffset now, CancellationToken ct)
    {
        var positions = new Dictionary<(string, string), Guid>();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY positions (id, unit_id, name, quota, min_professional, created_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var unit in DemoPopulation.Units().Where(u => u.Type is "commune" or "ward" or "town"))
            foreach (var (title, _) in DemoPopulation.CivilServantTitles)
            {
                var id = positions[(unit.Code, title)] = Guid.NewGuid();
                await copy.WriteRowAsync(ct, id, unitIds[unit.Code], title, 2, "intermediate", now);
            }
        await copy.CompleteAsync(ct);
        return positions;
    }
}

using System.Text.RegularExpressions;
using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary><c>POST /api/units</c>: a province, district, commune, … joins the tree and is announced.</summary>
public static partial class RegisterUnit
{
    /// <summary>
    /// <paramref name="AgencyKind"/> for an agency (<c>type: "agency"</c>); <paramref name="Serves"/> the territorial units it
    /// serves when not the whole subtree of its parent (which land office serves which communes).
    /// </summary>
    public sealed record UnitRequest(
        string? Code, string? Name, string? Type, Guid? ParentId, string? AgencyCode, DateOnly? ValidFrom,
        string? AgencyKind = null, List<Guid>? Serves = null);

    public static void MapRegisterUnit(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/units", Register).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Register(UnitRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        var validFrom = request.ValidFrom ?? VietnamTime.Today(time);
        Validate(request, "", errors);
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (unit, refusal) = await InsertAsync(connection, tx, request, validFrom, time, ct);
        if (refusal is not null) return refusal;
        await tx.CommitAsync(ct);
        return Results.Created($"/api/units/{unit!.Id}", unit);
    }

    /// <summary>Shape checks shared with the merge's <c>into</c>; <paramref name="prefix"/> names nested fields.</summary>
    public static void Validate(UnitRequest request, string prefix, FieldErrors errors)
    {
        errors.Require(prefix + "code", request.Code, 40);
        if (request.ValidFrom is { } from && !RecordDates.Contains(from)) errors.Add(prefix + "validFrom", RecordDates.Range);
        if (request.Code is { } code && !CodePattern().IsMatch(code))
            errors.Add(prefix + "code", "Letters, digits, '.', '-' and '_' only.");
        errors.Require(prefix + "name", request.Name, 200);
        if (request.Type is null || !Unit.Types.Contains(request.Type))
            errors.Add(prefix + "type", "One of: " + string.Join(", ", Unit.Types) + ".");
        if (request.Type == "province" && request.ParentId is not null)
            errors.Add(prefix + "parentId", "A province has no parent.");
        if (request.Type is not null and not "province" && request.ParentId is null)
            errors.Add(prefix + "parentId", "Required for every unit below a province.");
        if (request.Type == UnitTypes.Agency && (request.AgencyKind is null || !AgencyKinds.All.Contains(request.AgencyKind)))
            errors.Add(prefix + "agencyKind", "An agency's kind, one of: " + string.Join(", ", AgencyKinds.All) + ".");
        if (request.Type is not null and not UnitTypes.Agency && request.AgencyKind is not null)
            errors.Add(prefix + "agencyKind", "Only an agency (type \"agency\") has a kind.");
        if (request.Type is not null and not UnitTypes.Agency && request.Serves is { Count: > 0 })
            errors.Add(prefix + "serves", "Only an agency serves other units.");
        if (request.Serves is { Count: > 500 }) errors.Add(prefix + "serves", "At most 500 units.");
        if (request.AgencyCode is { } agency && !AgencyPattern().IsMatch(agency))
            errors.Add(prefix + "agencyCode", "An electronic agency code such as 000.00.06.H57.");
    }

    /// <summary>
    /// Inserts the unit and its <see cref="UnitRegistered"/> in the caller's transaction; a refusal
    /// (unknown or closed parent, duplicate code) is returned instead, and the caller rolls back.
    /// </summary>
    public static async Task<(Unit? Unit, IResult? Refusal)> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, UnitRequest request, DateOnly validFrom, TimeProvider time,
        CancellationToken ct, string prefix = "")
    {
        if (request.ParentId is { } parentId)
        {
            var parent = await Unit.FindAsync(connection, tx, parentId, ct);
            if (parent is null) return (null, new FieldErrors().Add(prefix + "parentId", "No such unit.").ToResult());
            if (!parent.IsOpenOn(validFrom))
                return (null, new FieldErrors().Add(prefix + "parentId", $"The parent unit is not open on {validFrom:yyyy-MM-dd}.").ToResult());
            if (parent.Type == UnitTypes.Agency)
                return (null, new FieldErrors().Add(prefix + "parentId", "A unit is attached to a territorial unit, not to an agency.").ToResult());
        }
        var serves = request.Serves?.Distinct().ToArray() ?? [];
        if (await AgencyServiceArea.RefusalAsync(connection, tx, serves, request.ParentId, prefix + "serves", ct) is { } wrongArea)
            return (null, wrongArea);
        if (await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM units WHERE code = $1", ct, request.Code) > 0)
            return (null, new FieldErrors().Add(prefix + "code", $"A unit with code {request.Code} exists.").ToConflict());
        if (request.AgencyCode is not null
            && await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM units WHERE agency_code = $1", ct, request.AgencyCode) > 0)
            return (null, new FieldErrors().Add(prefix + "agencyCode", $"Agency code {request.AgencyCode} belongs to another unit.").ToConflict());

        var unit = new Unit(Guid.NewGuid(), request.Code!.Trim(), request.Name!.Trim(), request.Type!, request.ParentId,
            request.AgencyCode, validFrom, null, null, request.AgencyKind);
        await connection.ExecuteAsync(tx, """
            INSERT INTO units (id, code, name, type, parent_id, agency_code, valid_from, created_at, agency_kind)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, ct, unit.Id, unit.Code, unit.Name, unit.Type, unit.ParentId, unit.AgencyCode, unit.ValidFrom, time.GetUtcNow(), unit.AgencyKind);
        await AgencyServiceArea.StoreAsync(connection, tx, unit.Id, serves, ct);
        await Outbox.EnqueueAsync(connection, tx, new UnitRegistered(Guid.NewGuid(), time.GetUtcNow(), unit.Id, unit.Code,
            unit.Name, unit.Type, unit.ParentId, unit.AgencyCode, unit.ValidFrom, unit.AgencyKind, serves), ct);
        return (unit, null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z")]
    internal static partial Regex CodePattern();

    [GeneratedRegex(@"^[0-9A-Z]{2,4}(\.[0-9A-Z]{2,4}){2,4}\z")]
    private static partial Regex AgencyPattern();
}

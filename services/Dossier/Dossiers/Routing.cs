using MotCua.Contracts;
using MotCua.Dossier.Procedures;

namespace MotCua.Dossier.Dossiers;

/// <summary>
/// Liên thông at reception: which unit performs each step of this dossier. A step naming a unit keeps it (its successor
/// when it has closed); a step naming a kind of body goes to the body of that kind serving the receiving unit; at a
/// counter that is not itself competent (province-wide reception, Decree 118) the processing steps go to the competent
/// body serving it. Counter steps stay at the receiving counter; the citizen collects the result there, or at another
/// counter of the province that handles the procedure if they chose one (<c>returnUnitId</c>).
/// </summary>
public static class Routing
{
    /// <summary>
    /// The procedure as this dossier will run it, its steps' units resolved; or the refusal: a closed unit (409 naming its
    /// successor), a procedure the unit may not receive, a step nobody serves.
    /// </summary>
    public static async Task<(Procedure? Routed, IResult? Refusal)> PlanAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Procedure procedure, Guid unitId, DateOnly day, CancellationToken ct,
        Guid? returnUnit = null)
    {
        if (await Catalogue.ReceiverAsync(connection, tx, unitId, ct) is not { } receiver)
            return (null, new FieldErrors().Add("unitId", "The unit is unknown here.").ToResult());
        if (receiver.Unit.IsClosedOn(day))
        {
            var successor = receiver.Unit.MergedInto is { } next ? await ServiceAreas.FindAsync(connection, tx, next, ct) : null;
            return (null, Refuse("unitId", successor is null
                ? $"The unit closed on {receiver.Unit.ValidTo:dd/MM/yyyy} and receives no dossier."
                : $"The unit closed on {receiver.Unit.ValidTo:dd/MM/yyyy}; its successor {successor.Name} ({successor.Id}) receives now."));
        }
        if (Catalogue.Refusal(procedure, receiver, day) is { } rule) return (null, Refuse("procedureCode", rule));
        var (steps, refusal) = await ResolveAsync(connection, tx, procedure, receiver, day, ct);
        if (refusal is not null) return (null, refusal);
        if (returnUnit is { } chosen && chosen != unitId)
        {
            if (steps![^1].Role != MotCuaRoles.Counter)
                return (null, new FieldErrors().Add("returnUnitId", "This procedure does not end at a counter; its result is returned where it is decided.").ToResult());
            var counter = await Catalogue.ReceiverAsync(connection, tx, chosen, ct);
            if (counter is null) return (null, new FieldErrors().Add("returnUnitId", "No such unit.").ToResult());
            if (counter.ProvinceId != receiver.ProvinceId || Catalogue.Refusal(procedure, counter, day) is not null)
                return (null, Refuse("returnUnitId", "The result is returned at a counter of the province that handles this procedure; that unit does not."));
            steps = [.. steps.Take(steps.Count - 1), steps[^1] with { UnitId = chosen }];
        }
        return (procedure with { Steps = steps! }, null);
    }

    /// <summary>The procedure's steps with their units resolved (null: the receiving unit), or the refusal naming the rule.</summary>
    public static async Task<(IReadOnlyList<ProcedureStep>? Steps, IResult? Refusal)> ResolveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Procedure procedure, Catalogue.Receiver receiver, DateOnly day, CancellationToken ct)
    {
        var competent = Catalogue.IsCompetent(procedure, receiver);
        var steps = new List<ProcedureStep>();
        // A procedure names the same kind for several steps (appraisal and confirmation at the land office): one walk each.
        var serving = new Dictionary<string, DirectoryUnit?>();
        async Task<DirectoryUnit?> ServingAsync(string kind) => serving.TryGetValue(kind, out var known)
            ? known
            : serving[kind] = await ServiceAreas.ServingAsync(connection, tx, receiver.Unit.Id, kind, day, ct);
        for (var i = 0; i < procedure.Steps.Count; i++)
        {
            var step = procedure.Steps[i];
            var kind = step.UnitKind;
            Guid? unit = step.UnitId;
            if (unit is { } named)
            {
                var found = await ServiceAreas.FindAsync(connection, tx, named, ct);
                for (var hops = 0; found is { MergedInto: { } next } && found.IsClosedOn(day) && hops < 64; hops++)
                    found = await ServiceAreas.FindAsync(connection, tx, next, ct);
                if (found is null || found.IsClosedOn(day))
                    return (null, Refuse($"steps[{i}].unitId", $"The unit performing '{step.Name}' is closed and has no successor; the procedure needs a new version."));
                unit = found.Id;
            }
            else if (kind is not null)
            {
                var body = await ServingAsync(kind);
                if (body is null)
                    return (null, Refuse($"steps[{i}].unitKind", $"No {kind} serves this unit, so '{step.Name}' has nobody to perform it; the province assigns one first."));
                unit = body.Id;
            }
            else if (!competent && step.Role != MotCuaRoles.Counter)
            {
                DirectoryUnit? competentBody = null;
                foreach (var receivedBy in procedure.ReceivedBy ?? [])
                    if ((competentBody = await ServingAsync(receivedBy)) is not null) break;
                if (competentBody is null)
                    return (null, Refuse("unitId", $"No competent body ({string.Join(", ", procedure.ReceivedBy ?? [])}) serves this unit for province-wide reception."));
                unit = competentBody.Id;
            }
            steps.Add(step with { UnitId = unit == receiver.Unit.Id ? null : unit, UnitKind = null });
        }
        return (steps, null);
    }

    private static IResult Refuse(string field, string message) => new FieldErrors().Add(field, message).ToConflict();
}

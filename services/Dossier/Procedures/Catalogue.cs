using MotCua.Contracts;

namespace MotCua.Dossier.Procedures;

/// <summary>
/// Who may receive what: a procedure is national (no province) or one province's own; its <c>receivedBy</c> names the kinds
/// of unit whose counters take it (none named: any); a <c>provinceWide</c> procedure may be received at any counter of the
/// province and is routed to the competent body (Decree 118). A closed unit receives nothing.
/// </summary>
public static class Catalogue
{
    /// <summary>A receiving unit: itself and its province.</summary>
    public sealed record Receiver(DirectoryUnit Unit, Guid? ProvinceId);

    /// <summary>One walk up the tree gives both the unit and its province (intake asks this of every dossier).</summary>
    public static async Task<Receiver?> ReceiverAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid unit, CancellationToken ct)
    {
        var chain = await ServiceAreas.ChainAsync(connection, tx, unit, ct);
        return chain.Count == 0 ? null : new Receiver(chain[0], ServiceAreas.ProvinceIn(chain));
    }

    /// <summary>The rule that keeps <paramref name="receiver"/> from receiving <paramref name="procedure"/>, or null when it may.</summary>
    public static string? Refusal(Procedure procedure, Receiver receiver, DateOnly day)
    {
        if (receiver.Unit.IsClosedOn(day)) return "The unit is closed.";
        if (procedure.ProvinceId is { } province && province != receiver.ProvinceId)
            return "The procedure belongs to another province's catalogue.";
        if (procedure.ReceivedBy is not { Count: > 0 } kinds || kinds.Contains(receiver.Unit.Kind)) return null;
        if (procedure.ProvinceWide) return null;
        return $"A {receiver.Unit.Kind} does not receive this procedure (received by: {string.Join(", ", kinds)}; not province-wide).";
    }

    /// <summary>Whether the receiving unit is itself a competent body, or the dossier must be routed to one (province-wide reception).</summary>
    public static bool IsCompetent(Procedure procedure, Receiver receiver) =>
        procedure.ReceivedBy is not { Count: > 0 } kinds || kinds.Contains(receiver.Unit.Kind);
}

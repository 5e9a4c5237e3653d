using MotCua.Contracts;


namespace MotCua.Dossier.Dossiers;

/// <summary>
/// The one-stop workflow as data: for each action, the statuses it may start from and the roles that may
/// take it (the actions of docs/api.md §4, plus receiving or refusing an online registration and the payment round trip).
/// Which step a step action completes, and who holds it, is checked by <see cref="DossierActions"/>.
/// </summary>
/// <remarks>
/// In a liên thông dossier each action is the officials' of one unit: the counter's actions (<see cref="AtTheCounter"/>) the
/// receiving unit's, every other the unit's whose step is in progress.
/// </remarks>
public static class Workflow
{
    public sealed record Rule(string[] From, string[] Roles, bool NeedsReason = false);

    public static readonly string[] OpenStatuses = DossierStatuses.Open;

    /// <summary>What the citizen does at the counter, through the receiving unit, wherever the dossier is.</summary>
    public static readonly string[] AtTheCounter = ["receive", "refuse", "resubmit", "confirm-payment", "withdraw"];

    public static readonly IReadOnlyDictionary<string, Rule> Rules = new Dictionary<string, Rule>
    {
        ["receive"] = new(["registered"], [MotCuaRoles.Counter]),
        ["refuse"] = new(["registered"], [MotCuaRoles.Counter], NeedsReason: true),
        ["transfer"] = new(["received"], [MotCuaRoles.Counter]),
        ["assign"] = new(["received", "processing"], [MotCuaRoles.Leader]),
        ["complete-step"] = new(["processing"], [MotCuaRoles.Specialist, MotCuaRoles.Leader]),
        ["approve"] = new(["processing"], [MotCuaRoles.Leader]),
        ["reject"] = new(["received", "processing"], [MotCuaRoles.Leader], NeedsReason: true),
        ["request-supplement"] = new(["received", "processing"], [MotCuaRoles.Counter, MotCuaRoles.Specialist], NeedsReason: true),
        ["resubmit"] = new(["waiting_supplement"], [MotCuaRoles.Counter]),
        ["request-payment"] = new(["received", "processing"], [MotCuaRoles.Counter, MotCuaRoles.Specialist], NeedsReason: true),
        ["confirm-payment"] = new(["waiting_payment"], [MotCuaRoles.Counter]),
        ["mark-result-ready"] = new(["processing"], [MotCuaRoles.Counter]),
        ["return"] = new(["resolved"], [MotCuaRoles.Counter]),
        ["withdraw"] = new(OpenStatuses, [MotCuaRoles.Counter], NeedsReason: true),
        ["stop"] = new(["received", "processing", "waiting_supplement", "waiting_payment"], [MotCuaRoles.Leader], NeedsReason: true),
        ["apologize"] = new(["received", "processing"], [MotCuaRoles.Specialist, MotCuaRoles.Leader], NeedsReason: true),
    };
}

using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Lateness;

/// <summary>Who is at fault when a dossier is late: what the sweeper and the apology by hand name in the letter.</summary>
public static class Deadlines
{
    /// <summary>
    /// Who caused the delay: the step whose own deadline was missed first (finished late, or still open past
    /// it), in its unit, with the official who held it; the step in progress when none was.
    /// </summary>
    public static Fault FaultOf(DossierView dossier, DateTimeOffset now)
    {
        var step = dossier.Steps.FirstOrDefault(s => (s.CompletedAt ?? now) > s.DueAt)
            ?? dossier.Current
            ?? dossier.Steps[^1];
        return new(step.UnitId ?? dossier.UnitId, step, step.CompletedAt is null ? step.AssigneeId : step.CompletedBy ?? step.AssigneeId);
    }
}

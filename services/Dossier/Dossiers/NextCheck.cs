namespace MotCua.Dossier.Dossiers;

/// <summary>
/// What the deadline sweeper watches, kept on the dossier row: <c>next_check_at</c> is the earliest instant
/// at which something may have to be raised (the at-risk threshold, which opens the apology window, the current step's
/// deadline, the first moment a dossier without a letter has both its window open and its step late, the due
/// time, the extended due time), and is empty while the clock is stopped or the dossier is done. Every change to a
/// dossier refreshes it, so it lives with the dossiers; the sweeper reads it.
/// </summary>
public static class NextCheck
{
    /// <summary>Recomputes <c>next_check_at</c> for the dossiers whose ids are in <c>$1</c>; run after every change to a dossier.</summary>
    public const string RefreshSql = """
        UPDATE dossiers d SET next_check_at = CASE WHEN d.status IN ('received', 'processing') AND d.escalated_at IS NULL THEN LEAST(
                CASE WHEN d.overdue_at IS NULL AND d.at_risk_step IS DISTINCT FROM d.current_step
                     THEN LEAST(d.at_risk_at, (SELECT s.due_at FROM dossier_steps s WHERE s.dossier_id = d.id AND s.index = d.current_step)) END,
                CASE WHEN d.overdue_at IS NULL AND NOT EXISTS (SELECT 1 FROM apologies a WHERE a.dossier_id = d.id)
                     THEN (SELECT GREATEST(s.due_at, d.at_risk_at) FROM dossier_steps s WHERE s.dossier_id = d.id AND s.index = d.current_step) END,
                CASE WHEN d.overdue_at IS NULL THEN coalesce(d.new_due_at, d.due_at) END,
                CASE WHEN d.new_due_at IS NOT NULL THEN d.new_due_at END)
            END
        WHERE d.id = ANY($1)
        """;
}

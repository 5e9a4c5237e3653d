using MotCua.Contracts;
using MotCua.Data.Database;
using Npgsql;

namespace MotCua.Evaluation.Indicators;

/// <summary>
/// Feedback (phản ánh, kiến nghị) and its answer: counted when received and when answered (late or not), and kept
/// per feedback so the ones past their answer date and still unanswered can be counted for any moment.
/// </summary>
public static class FeedbackOutcome
{
    public static async Task ApplyAsync(object message, UnitCounters counters, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        switch (message)
        {
            case FeedbackReceived e:
                await connection.ExecuteAsync(tx, """
                    INSERT INTO feedback_outcomes (feedback_id, unit_id, received_at, answer_due_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (feedback_id) DO UPDATE SET received_at = $3
                    """, ct, e.FeedbackId, e.UnitId, e.ReceivedAt, e.AnswerDueAt);
                counters.Add(e.UnitId, e.ReceivedAt, Counter.FeedbackReceived);
                break;
            case FeedbackAnswered e:
                await connection.ExecuteAsync(tx, """
                    INSERT INTO feedback_outcomes (feedback_id, unit_id, answer_due_at, answered_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (feedback_id) DO UPDATE SET answered_at = $4
                    """, ct, e.FeedbackId, e.UnitId, e.AnswerDueAt, e.OccurredAt);
                counters.Add(e.UnitId, e.OccurredAt, Counter.FeedbackAnswered);
                if (e.Timeliness == "late") counters.Add(e.UnitId, e.OccurredAt, Counter.FeedbackAnsweredLate);
                break;
        }
    }
}

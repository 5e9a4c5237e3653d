using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Lateness;

/// <summary>A letter as API.md lists it.</summary>
public sealed record Apology(
    string Number, DateTimeOffset IssuedAt, string Reason, Guid ResponsibleUnitId, string ResponsibleStep, Guid? ResponsibleOfficialId,
    DateTimeOffset PreviousDueAt, DateTimeOffset NewDueAt, bool Automatic)
{
    public const string Columns =
        "number, issued_at, reason, responsible_unit_id, responsible_step, responsible_official_id, previous_due_at, new_due_at, automatic";

    public static Apology Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetGuid(3),
        r.GetString(4), r.Nullable<Guid>(5), r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetBoolean(8));
}

/// <summary>
/// Issuing the one apology a dossier may have (by the sweeper at the due time, or by hand before it):
/// the numbered letter, the new appointment date on the dossier, a row on the control sheet and
/// <see cref="ApologyIssued"/> through the outbox — in the caller's transaction. The unique dossier key
/// on <c>apologies</c> makes a second letter impossible even for two sweepers racing.
/// </summary>
public static class Apologies
{
    public static async Task<Apology> IssueAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, DossierView dossier, string reason, (Guid Unit, DossierStep Step, Guid? Official) fault,
        DateTimeOffset newDueAt, bool automatic, Caller? issuer, DateTimeOffset now, CancellationToken ct)
    {
        var agency = dossier.Code[..dossier.Code.LastIndexOf('-', dossier.Code.LastIndexOf('-') - 1)];
        var year = now.ToOffset(WorkingCalendar.Offset).Year;
        var sequence = await connection.ScalarAsync<int>(tx, """
            INSERT INTO apology_sequences (agency_code, year, last_value) VALUES ($1, $2, 1)
            ON CONFLICT (agency_code, year) DO UPDATE SET last_value = apology_sequences.last_value + 1
            RETURNING last_value
            """, ct, agency, year);
        var previous = dossier.NewDueAt ?? dossier.DueAt!.Value;
        var apology = new Apology($"{year}-{sequence:D4}", now, reason, fault.Unit, fault.Step.Name, fault.Official, previous, newDueAt, automatic);
        await connection.ExecuteAsync(tx, $"""
            INSERT INTO apologies (id, dossier_id, agency_code, year, sequence, {Apology.Columns}, issued_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """, ct, Guid.NewGuid(), dossier.Id, agency, year, sequence, apology.Number, now, reason, fault.Unit, fault.Step.Name,
            fault.Official, previous, newDueAt, automatic, issuer?.Id);
        await connection.ExecuteAsync(tx, "UPDATE dossiers SET new_due_at = $2 WHERE id = $1", ct, dossier.Id, newDueAt);
        await connection.ExecuteAsync(tx, """
            INSERT INTO dossier_history (dossier_id, at, action, actor_id, actor_name, from_step, to_step, step_due_at, timeliness, note)
            VALUES ($1, $2, 'apologize', $3, $4, $5, $5, $6, $7, $8)
            """, ct, dossier.Id, now, issuer?.Id ?? Guid.Empty, issuer?.Name ?? "MotCua (tự động)", fault.Step.Name, fault.Step.DueAt,
            automatic ? Timeliness.Late : null, $"Phiếu xin lỗi số {apology.Number}: {reason}");
        await Outbox.EnqueueAsync(connection, tx, new ApologyIssued(Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode,
            dossier.ProcedureName, dossier.UnitId, apology.Number, reason, fault.Unit, fault.Step.Name, fault.Official, previous, newDueAt,
            automatic, Reception.Contact(dossier)), ct);
        return apology;
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid dossierId, CancellationToken ct) =>
        await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM apologies WHERE dossier_id = $1", ct, dossierId) > 0;
}

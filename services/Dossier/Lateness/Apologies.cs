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

/// <summary>Who caused a delay: the unit, the step and the official who held it.</summary>
public readonly record struct Fault(Guid Unit, DossierStep Step, Guid? Official);

/// <summary>
/// Issuing the one apology a dossier may have (by the sweeper at the due time, or by hand before it):
/// the numbered letter, the new appointment date on the dossier, a row on the control sheet and
/// <see cref="ApologyIssued"/> through the outbox — all in the caller's transaction. The unique dossier key
/// on <c>apologies</c> makes a second letter impossible even for two sweepers racing.
/// </summary>
public static class Apologies
{
    /// <summary>The agency part of a dossier code <c>AGENCY-YYMMDD-NNNN</c>.</summary>
    public static string AgencyOf(string code) => code[..code.LastIndexOf('-', code.LastIndexOf('-') - 1)];

    /// <summary>Takes <paramref name="count"/> letter numbers of an agency's year at once; returns the first.</summary>
    public static async Task<int> ReserveAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string agency, int year, int count, CancellationToken ct) =>
        await connection.ScalarAsync<int>(tx, """
            INSERT INTO apology_sequences (agency_code, year, last_value) VALUES ($1, $2, $3)
            ON CONFLICT (agency_code, year) DO UPDATE SET last_value = apology_sequences.last_value + $3
            RETURNING last_value
            """, ct, agency, year, count) - count + 1;

    /// <summary>The writes of one letter, to run in the caller's batch (which must end with <see cref="Outbox.Notify"/>).</summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands(
        DossierView dossier, string reason, Fault fault, DateTimeOffset newDueAt, bool automatic, Caller? issuer, DateTimeOffset now, int sequence)
    {
        var agency = AgencyOf(dossier.Code);
        var year = now.ToOffset(WorkingCalendar.Offset).Year;
        var previous = dossier.NewDueAt ?? dossier.DueAt!.Value;
        var number = $"{year}-{sequence:D4}";
        yield return Sql.BatchCommand($"""
            INSERT INTO apologies (id, dossier_id, agency_code, year, sequence, {Apology.Columns}, issued_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """, Guid.NewGuid(), dossier.Id, agency, year, sequence, number, now, reason, fault.Unit, fault.Step.Name, fault.Official,
            previous, newDueAt, automatic, issuer?.Id);
        yield return Sql.BatchCommand("UPDATE dossiers SET new_due_at = $2 WHERE id = $1", dossier.Id, newDueAt);
        yield return Sql.BatchCommand("""
            INSERT INTO dossier_history (dossier_id, at, action, actor_id, actor_name, from_step, to_step, step_due_at, timeliness, note)
            VALUES ($1, $2, 'apologize', $3, $4, $5, $5, $6, $7, $8)
            """, dossier.Id, now, issuer?.Id ?? Guid.Empty, issuer?.Name ?? "MotCua (tự động)", fault.Step.Name, fault.Step.DueAt,
            automatic ? Timeliness.Late : null, $"Phiếu xin lỗi số {number}: {reason}");
        yield return Outbox.Command(new ApologyIssued(Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode,
            dossier.ProcedureName, dossier.UnitId, number, reason, fault.Unit, fault.Step.Name, fault.Official, previous, newDueAt,
            automatic, Reception.Contact(dossier)));
    }

    /// <summary>One letter, now, in the caller's transaction.</summary>
    public static async Task IssueAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, DossierView dossier, string reason, Fault fault, DateTimeOffset newDueAt,
        bool automatic, Caller? issuer, DateTimeOffset now, CancellationToken ct)
    {
        var sequence = await ReserveAsync(connection, tx, AgencyOf(dossier.Code), now.ToOffset(WorkingCalendar.Offset).Year, 1, ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var command in Commands(dossier, reason, fault, newDueAt, automatic, issuer, now, sequence)) batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(Outbox.Notify());
        await batch.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid dossierId, CancellationToken ct) =>
        await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM apologies WHERE dossier_id = $1", ct, dossierId) > 0;
}

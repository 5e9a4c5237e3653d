using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Lateness;

/// <summary>A letter as docs/api.md §4 lists it.</summary>
public sealed record Apology(
    string Number, DateTimeOffset IssuedAt, string Reason, Guid ResponsibleUnitId, string ResponsibleStep, Guid? ResponsibleOfficialId,
    DateTimeOffset PreviousDueAt, DateTimeOffset NewDueAt, bool Automatic)
{
    public const string Columns =
        "number, issued_at, reason, responsible_unit_id, responsible_step, responsible_official_id, previous_due_at, new_due_at, automatic";

    public static Apology Read(NpgsqlDataReader row) => new(row.Get<string>("number"), row.Get<DateTimeOffset>("issued_at"),
        row.Get<string>("reason"), row.Get<Guid>("responsible_unit_id"), row.Get<string>("responsible_step"),
        row.Get<Guid?>("responsible_official_id"), row.Get<DateTimeOffset>("previous_due_at"), row.Get<DateTimeOffset>("new_due_at"),
        row.Get<bool>("automatic"));
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
        await connection.QuerySingleOrDefaultAsync(tx, """
            INSERT INTO apology_sequences (agency_code, year, last_value) VALUES (@agency, @year, @count)
            ON CONFLICT (agency_code, year) DO UPDATE SET last_value = apology_sequences.last_value + @count
            RETURNING last_value
            """, new { agency, year, count }, row => row.Get<int>("last_value"), ct) - count + 1;

    public static readonly string[] ApologyColumns =
    [
        "id:uuid", "dossier_id:uuid", "agency_code:text", "year:int", "sequence:int", "number:text", "issued_at:timestamptz", "reason:text",
        "responsible_unit_id:uuid", "responsible_step:text", "responsible_official_id:uuid", "previous_due_at:timestamptz",
        "new_due_at:timestamptz", "automatic:boolean", "issued_by:uuid",
    ];

    public static readonly string[] HistoryColumns =
    [
        "dossier_id:uuid", "at:timestamptz", "action:text", "actor_id:uuid", "actor_name:text", "from_step:text", "to_step:text",
        "step_due_at:timestamptz", "timeliness:text", "note:text",
    ];

    /// <summary>One letter's rows (apology, control sheet) and its event, for the caller to write with others.</summary>
    public sealed record Planned(object?[] Apology, object?[] History, ApologyIssued Event);

    public static Planned Plan(
        DossierView dossier, string reason, Fault fault, DateTimeOffset newDueAt, bool automatic, Caller? issuer, DateTimeOffset now, int sequence)
    {
        var agency = AgencyOf(dossier.Code);
        var year = now.ToOffset(WorkingCalendar.Offset).Year;
        var previous = dossier.NewDueAt ?? dossier.DueAt!.Value;
        var number = $"{year}-{sequence:D4}";
        return new Planned(
            [Guid.NewGuid(), dossier.Id, agency, year, sequence, number, now, reason, fault.Unit, fault.Step.Name, fault.Official, previous,
                newDueAt, automatic, issuer?.Id],
            [dossier.Id, now, "apologize", issuer?.Id ?? Guid.Empty, issuer?.Name ?? "MotCua (tự động)", fault.Step.Name, fault.Step.Name,
                fault.Step.DueAt, automatic ? Timeliness.Late : null, $"Phiếu xin lỗi số {number}: {reason}"],
            new ApologyIssued(Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode, dossier.ProcedureName, dossier.UnitId,
                number, reason, fault.Unit, fault.Step.Name, fault.Official, previous, newDueAt, automatic, Reception.Contact(dossier)));
    }

    /// <summary>One letter, now, in the caller's transaction (the apology by hand).</summary>
    public static async Task IssueAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, DossierView dossier, string reason, Fault fault, DateTimeOffset newDueAt,
        bool automatic, Caller? issuer, DateTimeOffset now, CancellationToken ct)
    {
        var sequence = await ReserveAsync(connection, tx, AgencyOf(dossier.Code), now.ToOffset(WorkingCalendar.Offset).Year, 1, ct);
        var letter = Plan(dossier, reason, fault, newDueAt, automatic, issuer, now, sequence);
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                Sql.BulkInsert("apologies", ApologyColumns, [letter.Apology]),
                Sql.BulkInsert("dossier_history", HistoryColumns, [letter.History]),
                Rows.NamedBatchCommand("UPDATE dossiers SET new_due_at = @newDueAt WHERE id = @id", new { id = dossier.Id, newDueAt }),
                Outbox.Commands([letter.Event]),
                Outbox.Notify(),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid dossierId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync(tx, "SELECT EXISTS (SELECT 1 FROM apologies WHERE dossier_id = @dossierId) AS found",
            new { dossierId }, row => row.Get<bool>("found"), ct);
}

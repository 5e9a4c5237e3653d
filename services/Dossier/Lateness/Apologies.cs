using MotCua.Contracts;
using MotCua.Dossier.Calendar;
using MotCua.Dossier.Dossiers;

namespace MotCua.Dossier.Lateness;

/// <summary>
/// Writing the one apology a dossier may have (by the sweeper in the window or at the due time, by hand before it): the
/// numbered letter in the book of the unit at fault, issued (the new date on the dossier, a row on the control sheet and
/// <see cref="ApologyIssued"/> through the outbox) or drafted for a leader to sign. All in the caller's transaction; the
/// unique dossier key on <c>apologies</c> makes a second letter impossible even for two sweepers racing.
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

    /// <summary>
    /// The book a letter is numbered in: the unit at fault's own (its electronic agency code), or the receiving agency's
    /// for a unit without one.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> BooksAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<Guid> units, CancellationToken ct) =>
        (await connection.ListAsync(tx, "SELECT id, agency_code FROM unit_directory WHERE id = ANY($1) AND agency_code IS NOT NULL",
            r => (r.GetGuid(0), r.GetString(1)), ct, units.ToArray())).ToDictionary(u => u.Item1, u => u.Item2);

    public static readonly string[] ApologyColumns =
    [
        "id:uuid", "dossier_id:uuid", "agency_code:text", "year:int", "sequence:int", "number:text", "issued_at:timestamptz", "reason:text",
        "responsible_unit_id:uuid", "responsible_step:text", "responsible_official_id:uuid", "previous_due_at:timestamptz",
        "new_due_at:timestamptz", "automatic:boolean", "issued_by:uuid", "state:text", "drafted_at:timestamptz", "issuing_unit_id:uuid",
        "signer_id:uuid", "signer_name:text", "signer_title:text", "in_time:boolean",
    ];

    public static readonly string[] HistoryColumns =
    [
        "dossier_id:uuid", "at:timestamptz", "action:text", "actor_id:uuid", "actor_name:text", "from_step:text", "to_step:text",
        "step_due_at:timestamptz", "timeliness:text", "note:text",
    ];

    /// <summary>What a letter says and who stands behind it, before it is numbered.</summary>
    public sealed record Letter(
        DossierView Dossier, string Reason, Fault Fault, DateTimeOffset NewDueAt, bool Automatic, Caller? Author, ApologySigner? Signer,
        bool InTime);

    /// <summary>One letter's rows (apology, control sheet) and its event, for the caller to write with others.</summary>
    public sealed record Planned(object?[] Apology, object?[]? History, IIntegrationEvent Event);

    public static Planned Plan(Letter letter, string state, string book, DateTimeOffset now, int sequence)
    {
        var (dossier, fault) = (letter.Dossier, letter.Fault);
        var year = now.ToOffset(WorkingCalendar.Offset).Year;
        var previous = dossier.NewDueAt ?? dossier.DueAt!.Value;
        var number = $"{year}-{sequence:D4}";
        var issued = state == ApologyStates.Issued;
        object?[] row = [Guid.NewGuid(), dossier.Id, book, year, sequence, number, issued ? now : null, letter.Reason, fault.Unit, fault.Step.Name,
            fault.Official, previous, letter.NewDueAt, letter.Automatic, letter.Author?.Id, state, now, fault.Unit, letter.Signer?.OfficialId,
            letter.Signer?.Name, letter.Signer?.Title, issued ? letter.InTime : null];
        if (!issued)
            return new Planned(row, null, new ApologyDrafted(Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode, dossier.UnitId,
                number, fault.Unit, fault.Step.Name, fault.Official, previous, letter.NewDueAt));
        return new Planned(row, HistoryRow(letter, now, number), Issued(letter, now, number, previous));
    }

    /// <summary>The control sheet's row for a letter going out.</summary>
    public static object?[] HistoryRow(Letter letter, DateTimeOffset now, string number) =>
        [letter.Dossier.Id, now, "apologize", letter.Author?.Id ?? Guid.Empty, letter.Author?.Name ?? "MotCua (tự động)", letter.Fault.Step.Name,
            letter.Fault.Step.Name, letter.Fault.Step.DueAt, letter.Automatic ? Timeliness.Late : null, $"Phiếu xin lỗi số {number}: {letter.Reason}"];

    /// <summary>The event of a letter going out, with the due time it moves.</summary>
    public static ApologyIssued Issued(Letter letter, DateTimeOffset now, string number, DateTimeOffset previous)
    {
        var (dossier, fault) = (letter.Dossier, letter.Fault);
        return new ApologyIssued(Guid.NewGuid(), now, dossier.Id, dossier.Code, dossier.ProcedureCode, dossier.ProcedureName, dossier.UnitId,
            number, letter.Reason, fault.Unit, fault.Step.Name, fault.Official, previous, letter.NewDueAt, letter.Automatic,
            Reception.Contact(dossier), fault.Unit, letter.Signer, letter.InTime);
    }

    /// <summary>One letter, now, in the caller's transaction (by hand): issued, or drafted for a leader to sign.</summary>
    public static async Task<string> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Letter letter, string state, DateTimeOffset now, CancellationToken ct)
    {
        var books = await BooksAsync(connection, tx, [letter.Fault.Unit], ct);
        var book = books.GetValueOrDefault(letter.Fault.Unit) ?? AgencyOf(letter.Dossier.Code);
        var sequence = await ReserveAsync(connection, tx, book, now.ToOffset(WorkingCalendar.Offset).Year, 1, ct);
        var planned = Plan(letter, state, book, now, sequence);
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Sql.BulkInsert("apologies", ApologyColumns, [planned.Apology]));
        if (planned.History is { } history)
        {
            batch.BatchCommands.Add(Sql.BulkInsert("dossier_history", HistoryColumns, [history]));
            batch.BatchCommands.Add(Sql.BatchCommand("UPDATE dossiers SET new_due_at = $2 WHERE id = $1", letter.Dossier.Id, letter.NewDueAt));
        }
        batch.BatchCommands.Add(Outbox.Commands([planned.Event]));
        batch.BatchCommands.Add(Outbox.Notify());
        await batch.ExecuteNonQueryAsync(ct);
        return (string)planned.Apology[5]!;
    }

    /// <summary>A draft signed (by its leader, or by the platform when the due time passed first): it goes out now.</summary>
    public static async Task IssueDraftAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Letter letter, string number, DateTimeOffset now, CancellationToken ct)
    {
        var previous = letter.Dossier.NewDueAt ?? letter.Dossier.DueAt!.Value;
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(Sql.BatchCommand(IssueDraftSql, letter.Dossier.Id, now, letter.NewDueAt, letter.Signer?.OfficialId,
            letter.Signer?.Name, letter.Signer?.Title, letter.InTime, letter.Automatic));
        batch.BatchCommands.Add(Sql.BulkInsert("dossier_history", HistoryColumns, [HistoryRow(letter, now, number)]));
        batch.BatchCommands.Add(Sql.BatchCommand("UPDATE dossiers SET new_due_at = $2 WHERE id = $1", letter.Dossier.Id, letter.NewDueAt));
        batch.BatchCommands.Add(Outbox.Commands([Issued(letter, now, number, previous)]));
        batch.BatchCommands.Add(Outbox.Notify());
        await batch.ExecuteNonQueryAsync(ct);
    }

    private const string IssueDraftSql = """
        UPDATE apologies SET state = 'issued', issued_at = $2, new_due_at = $3, signer_id = $4, signer_name = $5, signer_title = $6,
            in_time = $7, automatic = $8
        WHERE dossier_id = $1 AND state = 'draft'
        """;

    /// <summary>The dossier's letter, if any: its number and state.</summary>
    public static async Task<(string Number, string State)?> OfDossierAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid dossierId, CancellationToken ct) =>
        (await connection.ListAsync(tx, "SELECT number, state FROM apologies WHERE dossier_id = $1", r => (r.GetString(0), r.GetString(1)), ct, dossierId))
            is [var one] ? one : null;
}

using System.Text.Json;
using Npgsql;

namespace MotCua.Dossier.Dossiers;

public sealed record Applicant(string? FullName, string? IdNumber, string? Phone, string? Email, string? Address);

public sealed record DossierStep(
    string Name, string Role, Guid? AssigneeId, DateTimeOffset DueAt,
    DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, string? Outcome);

/// <summary>A dossier as API.md returns it.</summary>
public sealed record DossierView(
    Guid Id,
    string Code,
    string Status,
    string ProcedureCode,
    Guid UnitId,
    string Channel,
    Applicant Applicant,
    IReadOnlyList<string> Papers,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? NewDueAt,
    int Version,
    IReadOnlyList<DossierStep> Steps)
{
    public const string Columns =
        "id, code, status, procedure_code, unit_id, channel, applicant::text, papers::text, received_at, due_at, version";

    public static DossierView Read(NpgsqlDataReader row) => new(
        row.GetGuid(0),
        row.GetString(1),
        row.GetString(2),
        row.GetString(3),
        row.GetGuid(4),
        row.GetString(5),
        JsonSerializer.Deserialize<Applicant>(row.GetString(6), JsonSerializerOptions.Web)!,
        JsonSerializer.Deserialize<string[]>(row.GetString(7))!,
        row.GetFieldValue<DateTimeOffset>(8),
        row.IsDBNull(9) ? null : row.GetFieldValue<DateTimeOffset>(9),
        null,
        row.GetInt32(10),
        []);

    public static async Task<DossierView?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string column, object value, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM dossiers WHERE {column} = $1", connection, tx);
        command.Parameters.AddWithValue(value);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }
}

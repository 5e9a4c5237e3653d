using MotCua.Personnel.Accounts;
using MotCua.Contracts;
using MotCua.Personnel.Units;

namespace MotCua.Personnel.Officials;

/// <summary>
/// <c>POST /api/officials</c>: an official joins a unit, optionally with a log-in account and a contact (see
/// <see cref="OfficialContacts"/>), and <see cref="OfficialRegistered"/> goes out, all in one transaction.
/// </summary>
public static class RegisterOfficial
{
    public sealed record AccountRequest(string? Username, string? Password);

    public sealed record OfficialRequest(
        string? FullName, string? Gender, DateOnly? BirthDate, string? Ethnicity, string? Category, string? Title, Guid? UnitId,
        Education? Education, List<string>? Roles, Guid? PositionId, AccountRequest? Account, DateOnly? ValidFrom,
        OfficialContacts.ContactRequest? Contact = null);

    private const string UsernameTaken = "That username is taken (names differing only in case or spaces are the same).";

    public static void MapRegisterOfficial(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/officials", Register).RequireAuthorization(Policies.Admin);

    private static async Task<IResult> Register(OfficialRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var today = VietnamTime.Today(time);
        var errors = Validate(request, today);
        var contact = OfficialContacts.Check(errors, "contact", request?.Contact);
        if (errors.Any) return errors.ToResult();
        var validFrom = request!.ValidFrom ?? today;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var unit = await Unit.FindAsync(connection, tx, request.UnitId!.Value, ct);
        if (unit is null) return errors.Add("unitId", "No such unit.").ToResult();
        if (!unit.IsOpenOn(validFrom)) return errors.Add("unitId", $"The unit is not open on {validFrom:yyyy-MM-dd}.").ToConflict();
        if (request.PositionId is { } positionId
            && await connection.ScalarAsync<Guid>(tx, "SELECT unit_id FROM positions WHERE id = $1", ct, positionId) != unit.Id)
            return errors.Add("positionId", "No such position in this unit.").ToResult();
        if (request.Account is { } account
            && await connection.ScalarAsync<long>(tx, "SELECT count(*) FROM accounts a WHERE " + Credentials.Matches("$1"), ct,
                account.Username!) > 0)
            return errors.Add("account.username", UsernameTaken).ToConflict();

        var e = request.Education!;
        var roles = request.Roles!.Distinct().ToArray();
        var official = new Official(Guid.NewGuid(), request.FullName!.Trim(), request.Gender!, request.BirthDate!.Value,
            request.Ethnicity!.Trim(), request.Category!, request.Title!.Trim(), e, roles, request.PositionId, false, unit.Id, contact);
        await connection.ExecuteAsync(tx, """
            INSERT INTO officials (id, full_name, gender, birth_date, ethnicity, category, title, general_education, professional_level,
                major, political_theory, state_management, it_skill, foreign_language, roles, position_id, created_at, phone, email)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            """, ct, official.Id, official.FullName, official.Gender, official.BirthDate, official.Ethnicity, official.Category,
            official.Title, e.General, e.Professional, e.Major, e.PoliticalTheory, e.StateManagement, e.It, e.ForeignLanguage,
            roles, official.PositionId, time.GetUtcNow(), contact?.Phone, contact?.Email);
        await connection.ExecuteAsync(tx, "INSERT INTO postings (official_id, unit_id, valid_from) VALUES ($1, $2, $3)",
            ct, official.Id, unit.Id, validFrom);
        if (request.Account is { } login)
        {
            try
            {
                await connection.ExecuteAsync(tx, """
                    INSERT INTO accounts (id, username, password_hash, official_id, roles, created_at) VALUES ($1, $2, $3, $4, $5, $6)
                    """, ct, Guid.NewGuid(), login.Username!.Trim(), Credentials.Hash(login.Username, login.Password!),
                    official.Id, roles, time.GetUtcNow());
            }
            catch (PostgresException duplicate) when (duplicate.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Two creations of the same name raced past the check above; the database's index decides.
                return errors.Add("account.username", UsernameTaken).ToConflict();
            }
        }
        await Outbox.EnqueueAsync(connection, tx, new OfficialRegistered(Guid.NewGuid(), time.GetUtcNow(), official.Id,
            official.FullName, unit.Id, official.Category, official.Title, roles, validFrom, contact), ct);
        await tx.CommitAsync(ct);
        return Results.Created($"/api/officials/{official.Id}", official);
    }

    private static FieldErrors Validate(OfficialRequest? request, DateOnly today)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.");
        errors.Require("fullName", request.FullName, 200).Require("ethnicity", request.Ethnicity, 60).Require("title", request.Title, 200);
        if (!Qualifications.Genders.Contains(request.Gender)) errors.Add("gender", "One of: male, female.");
        if (request.BirthDate is not { } born) errors.Add("birthDate", "Required (YYYY-MM-DD).");
        else if (born > today) errors.Add("birthDate", "In the future.");
        else if (born > today.AddYears(-16)) errors.Add("birthDate", "An official is at least 16 years old.");
        else if (born < today.AddYears(-100)) errors.Add("birthDate", "More than 100 years ago.");
        if (!Qualifications.Categories.Contains(request.Category))
            errors.Add("category", "One of: " + string.Join(", ", Qualifications.Categories) + ".");
        if (request.UnitId is null) errors.Add("unitId", "Required.");
        if (request.ValidFrom is { } from && !RecordDates.Contains(from)) errors.Add("validFrom", RecordDates.Range);
        if (request.Roles is null || request.Roles.Any(r => !Qualifications.Roles.Contains(r)))
            errors.Add("roles", "A list of: " + string.Join(", ", Qualifications.Roles) + ".");

        if (request.Education is not { } e) errors.Add("education", "Required.");
        else
        {
            Qualifications.General.Check(errors, "education.general", e.General);
            Qualifications.Professional.Check(errors, "education.professional", e.Professional);
            Qualifications.PoliticalTheory.Check(errors, "education.politicalTheory", e.PoliticalTheory);
            Qualifications.StateManagement.Check(errors, "education.stateManagement", e.StateManagement);
            if (e.Major is { Length: > 200 }) errors.Add("education.major", "At most 200 characters.");
        }
        if (request.Account is { } account)
        {
            Credentials.CheckUsername(errors, "account.username", account.Username);
            Credentials.CheckPassword(errors, "account.password", account.Password, account.Username);
        }
        return errors;
    }
}

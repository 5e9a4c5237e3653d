using MotCua.Contracts;

namespace MotCua.Personnel.Officials;

/// <summary>
/// An official's contact (<c>contact: { phone, email }</c>), the way notices reach them by SMS or e-mail: taken at
/// registration, changed by <c>PUT /api/officials/{id}/contact</c> (admin), and carried to Notification by
/// <see cref="OfficialRegistered"/> and <see cref="OfficialContactChanged"/> through the outbox, in the change's transaction.
/// Personal data: shown in full to admins, the official and the leaders of the official's unit, masked to anyone else.
/// </summary>
public static class OfficialContacts
{
    public sealed record ContactRequest(string? Phone, string? Email);

    public static void MapOfficialContacts(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/officials/{id:guid}/contact", Change).RequireAuthorization(Policies.Admin);

    /// <summary>What the database's two columns hold, as a contact: none at all when both are empty.</summary>
    public static OfficialContact? Of(string? phone, string? email) => phone is null && email is null ? null : new(phone, email);

    /// <summary>The contact as it is kept (trimmed, blanks as none), or the errors naming <c>{field}.phone</c> and <c>{field}.email</c>.</summary>
    public static OfficialContact? Check(FieldErrors errors, string field, ContactRequest? request)
    {
        var phone = string.IsNullOrWhiteSpace(request?.Phone) ? null : request.Phone.Trim();
        var email = string.IsNullOrWhiteSpace(request?.Email) ? null : request.Email.Trim();
        if (phone is not null && !ContactFormats.VietnamesePhone().IsMatch(phone))
            errors.Add(field + ".phone", "A Vietnamese mobile number, e.g. 0912345678 or +84912345678.");
        if (email is not null && (email.Length > ContactFormats.EmailMaxLength || !ContactFormats.Email().IsMatch(email)))
            errors.Add(field + ".email", "An e-mail address.");
        return Of(phone, email);
    }

    /// <summary>The official as <paramref name="caller"/> may see them: the contact in full or masked.</summary>
    public static Official AsSeenBy(this Official official, Caller caller) =>
        official.Contact is not { } contact || SeesContactOf(caller, official) ? official
            : official with { Contact = new(contact.Phone is { } p ? Masking.Phone(p) : null, contact.Email is { } e ? Masking.Email(e) : null) };

    // A unit's leaders call their own people about a late dossier; colleagues and dashboards have no need of the numbers.
    private static bool SeesContactOf(Caller caller, Official official) =>
        caller.IsAdmin || caller.Id == official.Id
        || caller.Roles.Contains(MotCuaRoles.Leader) && caller.UnitId is { } unit && unit == official.UnitId;

    private static async Task<IResult> Change(Guid id, ContactRequest? request, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (request is null) return errors.Add("body", "A JSON body is required.").ToResult();
        var contact = Check(errors, "contact", request);
        if (errors.Any) return errors.ToResult();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var official = await Official.FindAsync(connection, tx, id, VietnamTime.Today(time), ct);
        if (official is null) return Problems.NotFound($"No official {id}.");
        await connection.ExecuteAsync(tx, "UPDATE officials SET phone = $2, email = $3 WHERE id = $1", ct, id, contact?.Phone, contact?.Email);
        await Outbox.EnqueueAsync(connection, tx, new OfficialContactChanged(Guid.NewGuid(), time.GetUtcNow(), id, contact), ct);
        await tx.CommitAsync(ct);
        return Results.Ok(official with { Contact = contact });
    }
}

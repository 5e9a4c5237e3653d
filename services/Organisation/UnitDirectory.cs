using MassTransit;
using MotCua.Contracts;
using MotCua.Data.Database;
using MotCua.Data.Messaging;
using MotCua.Hosting.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MotCua.Organisation;

/// <summary>
/// A service's copy of Personnel's unit tree and officials. Registering it adds the consumers that
/// keep the <c>unit_directory</c>, <c>official_directory</c> and <c>official_postings</c> tables.
/// </summary>
public static class UnitDirectory
{
    /// <summary>
    /// The copy's tables (applied with the platform's migrations) and the unit scope over them. The consumers that keep
    /// them join the bus with <see cref="AddDirectoryConsumers"/>.
    /// </summary>
    public static IServiceCollection AddUnitDirectory(this IServiceCollection services)
    {
        services.AddSingleton(new PlatformMigrations(typeof(UnitDirectory).Assembly));
        services.AddAccessVersions<DirectoryAccessVersions>();
        return services.AddUnitScope("unit_directory");
    }

    /// <summary>The <c>subtree</c> CTE (see <see cref="UnitScope.SubtreeCte"/>) over this service's copy of the tree.</summary>
    public static readonly string SubtreeCte = UnitScope.SubtreeCte("unit_directory");

    public static void AddDirectoryConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<UnitRegisteredCopy>();
        bus.AddConsumer<UnitsMergedCopy>();
        bus.AddConsumer<UnitRenamedCopy>();
        bus.AddConsumer<UnitMovedCopy>();
        bus.AddConsumer<UnitDissolvedCopy>();
        bus.AddConsumer<UnitSplitCopy>();
        bus.AddConsumer<AgencyServiceAreaSetCopy>();
        bus.AddConsumer<OfficialRegisteredCopy>();
        bus.AddConsumer<OfficialTransferredCopy>();
        bus.AddConsumer<OfficialRolesChangedCopy>();
        bus.AddConsumer<AccessVersionRaisedCopy>();
    }

    /// <summary>
    /// Also keep officials' contacts in <c>official_contacts</c>: only for a service that tells officials (Notification), since
    /// a contact is personal data and every other service does without it.
    /// </summary>
    public static void AddDirectoryContacts(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OfficialRegisteredContactCopy>();
        bus.AddConsumer<OfficialContactChangedCopy>();
    }

    /// <summary>
    /// The contact as of <paramref name="at"/>, unless a later one is already kept: the events may come in any order, and
    /// the same one again changes nothing, so keeping a contact needs no inbox.
    /// </summary>
    internal static async Task KeepContactAsync(
        NpgsqlDataSource dataSource, Guid officialId, OfficialContact? contact, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(null, """
            INSERT INTO official_contacts (official_id, phone, email, changed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (official_id) DO UPDATE SET phone = $2, email = $3, changed_at = $4 WHERE official_contacts.changed_at < $4
            """, ct, officialId, contact?.Phone, contact?.Email, at);
    }

    public static async Task<string?> AgencyCodeAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid unitId, CancellationToken ct) =>
        await connection.ScalarAsync<string>(tx, "SELECT agency_code FROM unit_directory WHERE id = $1", ct, unitId);
}

public sealed class UnitRegisteredCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<UnitRegistered>(dataSource, time)
{
    protected override async Task HandleAsync(UnitRegistered unit, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_directory (id, code, name, type, parent_id, agency_code, valid_from, agency_kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (id) DO UPDATE SET code = $2, name = $3, type = $4, parent_id = $5, agency_code = $6, valid_from = $7, agency_kind = $8
            """, ct, unit.UnitId, unit.Code, unit.Name, unit.Type, unit.ParentId, unit.AgencyCode, unit.ValidFrom, unit.AgencyKind);
        if (unit.Serves is { Count: > 0 } serves) await AgencyServiceAreaSetCopy.StoreAsync(connection, tx, unit.UnitId, serves, ct);
    }
}

/// <summary>The set replaces the agency's earlier one whole.</summary>
public sealed class AgencyServiceAreaSetCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<AgencyServiceAreaSet>(dataSource, time)
{
    protected override Task HandleAsync(AgencyServiceAreaSet set, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        StoreAsync(connection, tx, set.AgencyId, set.Serves, ct);

    public static async Task StoreAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid agency, IReadOnlyList<Guid> serves, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, "DELETE FROM agency_service_areas WHERE agency_id = $1", ct, agency);
        await connection.ExecuteAsync(tx, "INSERT INTO agency_service_areas (agency_id, unit_id) SELECT $1, unnest($2::uuid[])", ct,
            agency, serves.ToArray());
    }
}

public sealed class UnitsMergedCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<UnitsMerged>(dataSource, time)
{
    protected override async Task HandleAsync(UnitsMerged merge, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_directory (id, valid_to, merged_into) SELECT unnest($1::uuid[]), $2, $3
            ON CONFLICT (id) DO UPDATE SET valid_to = $2, merged_into = $3
            """, ct, merge.SourceIds.ToArray(), merge.EffectiveOn, merge.IntoId);
        await PostAsync(connection, tx, merge.MovedOfficialIds, merge.IntoId, merge.EffectiveOn, ct);
    }

    /// <summary>The officials moved by a reorganisation work in <paramref name="unit"/> from <paramref name="day"/>.</summary>
    internal static Task PostAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<Guid> officials, Guid unit, DateOnly day, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO official_postings (official_id, unit_id, valid_from) SELECT unnest($1::uuid[]), $2, $3
            ON CONFLICT (official_id, valid_from) DO UPDATE SET unit_id = $2
            """, ct, officials.ToArray(), unit, day);
}

/// <summary>Renames and moves arrive when they take effect (Personnel applies one dated ahead on its date).</summary>
public sealed class UnitRenamedCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<UnitRenamed>(dataSource, time)
{
    protected override Task HandleAsync(UnitRenamed rename, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO unit_directory (id, code, name) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET code = $2, name = $3
            """, ct, rename.UnitId, rename.Code, rename.Name);
}

/// <summary>The move is kept with the parent it left (<c>unit_moves</c>), so reports on the days before it stay as they were.</summary>
public sealed class UnitMovedCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<UnitMoved>(dataSource, time)
{
    protected override async Task HandleAsync(UnitMoved move, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_directory (id, parent_id) VALUES ($1, $2)
            ON CONFLICT (id) DO UPDATE SET parent_id = $2
            """, ct, move.UnitId, move.ParentId);
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_moves (unit_id, effective_on, previous_parent, parent_id) VALUES ($1, $2, $3, $4)
            ON CONFLICT (unit_id, effective_on) DO UPDATE SET parent_id = $4
            """, ct, move.UnitId, move.EffectiveOn, move.PreviousParentId, move.ParentId);
    }
}

/// <summary>A dissolution with a successor reads like a merge into it; without one the unit just closes.</summary>
public sealed class UnitDissolvedCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<UnitDissolved>(dataSource, time)
{
    protected override async Task HandleAsync(UnitDissolved dissolved, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_directory (id, valid_to, merged_into) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET valid_to = $2, merged_into = $3
            """, ct, dissolved.UnitId, dissolved.EffectiveOn, dissolved.SuccessorId);
        if (dissolved.SuccessorId is { } successor)
            await UnitsMergedCopy.PostAsync(connection, tx, dissolved.MovedOfficialIds, successor, dissolved.EffectiveOn, ct);
    }
}

/// <summary>The new parts arrive by their own registrations; the source closes and its officials go to their parts.</summary>
public sealed class UnitSplitCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<UnitSplit>(dataSource, time)
{
    protected override async Task HandleAsync(UnitSplit split, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO unit_directory (id, valid_to) VALUES ($1, $2)
            ON CONFLICT (id) DO UPDATE SET valid_to = $2
            """, ct, split.SourceId, split.EffectiveOn);
        foreach (var part in split.Postings.GroupBy(p => p.UnitId))
            await UnitsMergedCopy.PostAsync(connection, tx, part.Select(p => p.OfficialId), part.Key, split.EffectiveOn, ct);
    }
}

/// <summary>A row already present came from a later roles change that overtook this event: keep its roles.</summary>
public sealed class OfficialRegisteredCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<OfficialRegistered>(dataSource, time)
{
    protected override async Task HandleAsync(OfficialRegistered official, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await connection.ExecuteAsync(tx, """
            INSERT INTO official_directory (id, full_name, roles, title) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET full_name = $2, title = $4
            """, ct, official.OfficialId, official.FullName, official.Roles.ToArray(), official.Title);
        await connection.ExecuteAsync(tx, """
            INSERT INTO official_postings (official_id, unit_id, valid_from) VALUES ($1, $2, $3)
            ON CONFLICT (official_id, valid_from) DO UPDATE SET unit_id = $2
            """, ct, official.OfficialId, official.UnitId, official.ValidFrom);
    }
}

/// <summary>
/// The contact an official was registered with. One registered without any (a demo province's thousands) has nothing to
/// keep and costs no round trip to the database.
/// </summary>
public sealed class OfficialRegisteredContactCopy(NpgsqlDataSource dataSource) : IConsumer<OfficialRegistered>
{
    public Task Consume(ConsumeContext<OfficialRegistered> context) => context.Message is { Contact: { } contact } official
        ? UnitDirectory.KeepContactAsync(dataSource, official.OfficialId, contact, official.OccurredAt, context.CancellationToken)
        : Task.CompletedTask;
}

public sealed class OfficialContactChangedCopy(NpgsqlDataSource dataSource) : IConsumer<OfficialContactChanged>
{
    public Task Consume(ConsumeContext<OfficialContactChanged> context) =>
        UnitDirectory.KeepContactAsync(dataSource, context.Message.OfficialId, context.Message.Contact, context.Message.OccurredAt,
            context.CancellationToken);
}

public sealed class OfficialTransferredCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<OfficialTransferred>(dataSource, time)
{
    protected override Task HandleAsync(OfficialTransferred transfer, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO official_postings (official_id, unit_id, valid_from) VALUES ($1, $2, $3)
            ON CONFLICT (official_id, valid_from) DO UPDATE SET unit_id = $2
            """, ct, transfer.OfficialId, transfer.ToUnitId, transfer.EffectiveOn);
}

public sealed class OfficialRolesChangedCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<OfficialRolesChanged>(dataSource, time)
{
    protected override Task HandleAsync(OfficialRolesChanged change, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO official_directory (id, full_name, roles, disabled) VALUES ($1, '', $2, $3)
            ON CONFLICT (id) DO UPDATE SET roles = $2, disabled = $3
            """, ct, change.OfficialId, change.Roles.ToArray(), change.Disabled);
}

/// <summary>Versions only rise: a late, older event leaves the newer one.</summary>
public sealed class AccessVersionRaisedCopy(NpgsqlDataSource dataSource, TimeProvider time) : InboxConsumer<AccessVersionRaised>(dataSource, time)
{
    protected override Task HandleAsync(AccessVersionRaised raised, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(tx, """
            INSERT INTO access_versions (subject_id, version) VALUES ($1, $2)
            ON CONFLICT (subject_id) DO UPDATE SET version = greatest(access_versions.version, $2)
            """, ct, raised.SubjectId, raised.AccessVersion);
}

public sealed class DirectoryAccessVersions(NpgsqlDataSource dataSource) : IAccessVersionSource
{
    public async Task<int?> CurrentAsync(Guid subject, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ScalarAsync<int?>(null, "SELECT version FROM access_versions WHERE subject_id = $1", ct, subject);
    }
}

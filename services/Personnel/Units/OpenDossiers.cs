using MassTransit;
using MotCua.Contracts;

namespace MotCua.Personnel.Units;

/// <summary>
/// The dossiers still open at each unit, from the Dossier service's events: a unit with citizens waiting on it is not
/// dissolved without a successor to take them over. Each effect is an upsert that a redelivery repeats harmlessly.
/// </summary>
public static class OpenDossiers
{
    public static void AddOpenDossierConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DossierOpened>();
        bus.AddConsumer<DossierClosed<DossierRefused>>();
        bus.AddConsumer<DossierClosed<DossierRejected>>();
        bus.AddConsumer<DossierClosed<DossierReturned>>();
        bus.AddConsumer<DossierClosed<DossierWithdrawn>>();
        bus.AddConsumer<DossierClosed<DossierStopped>>();
    }

    public static Task<long> AtAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid unit, CancellationToken ct) =>
        connection.ScalarAsync<long>(tx, "SELECT count(*) FROM open_dossiers WHERE unit_id = $1 AND NOT closed", ct, unit);

    public sealed class DossierOpened(NpgsqlDataSource dataSource) : IConsumer<DossierReceived>
    {
        public async Task Consume(ConsumeContext<DossierReceived> context)
        {
            await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
            await connection.ExecuteAsync(null, "INSERT INTO open_dossiers (dossier_id, unit_id) VALUES ($1, $2) ON CONFLICT (dossier_id) DO NOTHING",
                context.CancellationToken, context.Message.DossierId, context.Message.UnitId);
        }
    }

    public sealed class DossierClosed<TEvent>(NpgsqlDataSource dataSource) : IConsumer<TEvent> where TEvent : DossierStatusChanged
    {
        public async Task Consume(ConsumeContext<TEvent> context)
        {
            await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
            await connection.ExecuteAsync(null, """
                INSERT INTO open_dossiers (dossier_id, unit_id, closed) VALUES ($1, $2, true)
                ON CONFLICT (dossier_id) DO UPDATE SET closed = true
                """, context.CancellationToken, context.Message.DossierId, context.Message.UnitId);
        }
    }
}

using MassTransit;
using MotCua.Data.Database;

namespace MotCua.Data.Messaging;

/// <summary>
/// Holds every consumed message until the service's migrations have run: the bus starts with the process, and a
/// message handled against a schema one migration behind would fail its retries and end in the error queue.
/// </summary>
public sealed class AfterMigrations<T>(DatabaseState database) : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (!database.IsMigrated) await database.Migrated.WaitAsync(context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("afterMigrations");
}

using MassTransit;
using Npgsql;

namespace MotCua.Data.Messaging;

/// <summary>
/// The consuming half: the message id is recorded in the same transaction as the effect, so a
/// redelivered or republished message (same MessageId) has no second effect.
/// </summary>
public abstract class InboxConsumer<TMessage>(NpgsqlDataSource dataSource, TimeProvider time) : IConsumer<TMessage>
    where TMessage : class
{
    protected TimeProvider Time { get; } = time;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId.");
        var ct = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if ((await Inbox.RecordAsync(connection, tx, GetType().Name, [messageId], Time.GetUtcNow(), ct)).Count == 0) return;
        await HandleAsync(context.Message, connection, tx, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The effect, inside the inbox transaction. Do not commit it.</summary>
    protected abstract Task HandleAsync(
        TMessage message, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct);
}

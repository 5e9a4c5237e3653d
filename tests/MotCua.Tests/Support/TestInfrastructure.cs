using Npgsql;

namespace MotCua.Tests.Support;

/// <summary>
/// The real RabbitMQ and PostgreSQL that <c>deploy/local/test.sh</c> starts for the run and
/// names in <c>MOTCUA_TEST_PG</c> and <c>MOTCUA_TEST_AMQP</c>.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresServer => Required("MOTCUA_TEST_PG");

    public static string AmqpUri => Required("MOTCUA_TEST_AMQP");

    /// <summary>A connection string to a database no other test uses (created by the code under test).</summary>
    public static string FreshDatabase(string purpose) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = $"t_{purpose}_{Guid.NewGuid():N}"[..40] }.ConnectionString;

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: run the tests through deploy/local/test.sh, which starts RabbitMQ and PostgreSQL.");
}

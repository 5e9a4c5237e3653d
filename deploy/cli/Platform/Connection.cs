using System.CommandLine;

namespace MotCua.Cli.Platform;

/// <summary>
/// Where the platform's parts are. Every option falls back to an environment variable, so a compose file or
/// <c>deploy/local/motcua</c> sets them once; the administrator's password is read only from the environment
/// (or asked for), never from the command line where shell history would keep it.
/// </summary>
public sealed record Connection(
    Uri Gateway, string User, string? Password, string Postgres, string DatabasePrefix, Uri RabbitMq, Uri RabbitMqApi, bool Yes)
{
    // First: the options below register themselves here as they are initialised.
    private static readonly Dictionary<Option, (string Variable, string Fallback)> Sources = [];

    public static readonly Option<string> GatewayOption = Global("--gateway", "MOTCUA_GATEWAY", "http://127.0.0.1:8080/", "The gateway's address");

    public static readonly Option<string> UserOption = Global("--user", "MOTCUA_ADMIN_USER", "admin",
        "The administrator to log in as (password from MOTCUA_ADMIN_PASSWORD, or asked for)");

    public static readonly Option<string> PostgresOption = Global("--postgres", "MOTCUA_POSTGRES",
        "Host=127.0.0.1;Port=5432;Username=motcua", "The PostgreSQL server, as an Npgsql connection string without a database");

    public static readonly Option<string> PrefixOption = Global("--database-prefix", "MOTCUA_DATABASE_PREFIX", "motcua_",
        "Each service's database is this prefix and the service's name");

    public static readonly Option<string> RabbitMqOption = Global("--rabbitmq", "MOTCUA_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/",
        "The broker's AMQP address");

    public static readonly Option<string> RabbitMqApiOption = Global("--rabbitmq-api", "MOTCUA_RABBITMQ_API", "http://guest:guest@127.0.0.1:15672/",
        "The broker's management API, with its user and password");

    public static readonly Option<bool> YesOption = new("--yes", "-y")
    {
        Description = "Answer yes to every confirmation (for scripts)",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [GatewayOption, UserOption, PostgresOption, PrefixOption, RabbitMqOption, RabbitMqApiOption, YesOption];

    public static Connection From(ParseResult parse) => new(
        Folder(Value(parse, GatewayOption)), Value(parse, UserOption), Environment.GetEnvironmentVariable("MOTCUA_ADMIN_PASSWORD"),
        Value(parse, PostgresOption), Value(parse, PrefixOption), Address(Value(parse, RabbitMqOption)),
        Folder(Value(parse, RabbitMqApiOption)), parse.GetValue(YesOption));

    /// <summary>
    /// The option, else its environment variable, else the local default. Resolved here rather than as the option's
    /// default value so that --help never prints a password taken from the environment.
    /// </summary>
    private static string Value(ParseResult parse, Option<string> option)
    {
        var (variable, fallback) = Sources[option];
        var given = parse.GetValue(option) ?? Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(given) ? fallback : given;
    }

    /// <summary>An HTTP base address, ending in '/' so relative paths go below it.</summary>
    private static Uri Folder(string address) => Address(address.EndsWith('/') ? address : address + "/");

    private static Uri Address(string address) => Uri.TryCreate(address, UriKind.Absolute, out var uri)
        ? uri
        : throw new OperatorException($"{address} is not an absolute address such as http://127.0.0.1:8080/.");

    private static Option<string> Global(string name, string variable, string fallback, string description)
    {
        var option = new Option<string>(name) { Description = $"{description} [env {variable}; default {fallback}]", Recursive = true, HelpName = "value" };
        Sources[option] = (variable, fallback);
        return option;
    }
}

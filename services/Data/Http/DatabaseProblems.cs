using MotCua.Hosting.Http;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MotCua.Data.Http;

/// <summary>
/// The database's part of turning what escapes an endpoint into problem+json: two requests racing past the same duplicate
/// check are a 409 naming the field, a database that cannot be reached a 503 with Retry-After. Anything else goes on to the
/// hosting defaults' handler.
/// </summary>
internal sealed partial class DatabaseProblems(IProblemDetailsService problems, ILogger<DatabaseProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } duplicate)
        {
            // The database has the last word on a race.
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [FieldOfConstraint(duplicate)] = ["Already exists."],
            })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict",
            };
        }
        else if (IsDatabaseUnavailable(exception))
        {
            // A wait, not a bug. The connection may have gone after a commit, so the answer says retry with the same
            // Idempotency-Key, which finds the dossier if it was saved, rather than claiming nothing was.
            LogDatabaseUnavailable(logger, context.Request.Method, context.Request.Path, exception.Message);
            context.Response.Headers.RetryAfter = "5";
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable, Title = "Not ready",
                Detail = "The database is not reachable just now. Try again shortly with the same Idempotency-Key.",
            };
        }
        else
        {
            return false;
        }
        return await problems.WriteAsync(context, problem, exception);
    }

    /// <summary>PostgreSQL names unique constraints <c>table_column_key</c>; the column is the field.</summary>
    private static string FieldOfConstraint(PostgresException e)
    {
        var name = e.ConstraintName ?? "";
        var column = e.TableName is { } table && name.StartsWith(table + "_", StringComparison.Ordinal) && name.EndsWith("_key", StringComparison.Ordinal)
            ? name[(table.Length + 1)..^4]
            : "body";
        var parts = column.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    /// <summary>A lost connection, a server shutting down or one not accepting connections yet: not a bug, a wait.</summary>
    private static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };

    [LoggerMessage(LogLevel.Warning, "Database unavailable on {Method} {Path}: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string reason);
}

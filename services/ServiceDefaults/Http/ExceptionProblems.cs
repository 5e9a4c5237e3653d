using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MotCua.ServiceDefaults.Http;

/// <summary>
/// Turns what escapes an endpoint into problem+json: a malformed or mistyped body is a 400 naming
/// the JSON path, a database that cannot be reached a 503 with Retry-After, anything else a 500 with only the trace id — never a stack trace.
/// </summary>
internal sealed partial class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            var field = FieldOf(bad);
            problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [MessageFor(bad)],
            })
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Body too large" : "Invalid input",
            };
        }
        else if (exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } duplicate)
        {
            // Two requests racing past the same duplicate check: the database has the last word.
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
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Unexpected error" };
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
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

    // A syntax error carries the reader's own exception; a value of the wrong type does not.
    private static bool IsSyntaxError(JsonException json) => json.InnerException?.GetType().Name == "JsonReaderException";

    private static string FieldOf(BadHttpRequestException bad) =>
        bad.InnerException is JsonException { Path: { Length: > 1 } path } json && !IsSyntaxError(json)
            ? path.TrimStart('$', '.')
            : "body";

    private static string MessageFor(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException json when IsSyntaxError(json) =>
            $"The body is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine}).",
        JsonException { Path: { Length: > 1 } } => "Not a valid value of the expected type.",
        JsonException => "The body is not a JSON object of the expected shape.",
        _ when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => "The body exceeds the size limit.",
        _ when bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase) => "A JSON body is required.",
        _ => "The request could not be read.",
    };

    /// <summary>A lost connection, a server shutting down or one not accepting connections yet: not a bug, a wait.</summary>
    private static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        _ => exception.InnerException is { } inner && IsDatabaseUnavailable(inner),
    };

    [LoggerMessage(LogLevel.Warning, "Database unavailable on {Method} {Path}: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(LogLevel.Error, "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception e, string method, string path);
}

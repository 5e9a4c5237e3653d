using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace MotCua.Hosting.Http;

/// <summary>
/// Turns what escapes an endpoint into problem+json: a malformed or mistyped body is a 400 naming
/// the JSON path, anything else a 500 with only the trace id — never a stack trace. A service's database problems are
/// answered before this, by the data layer's handler.
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
        else
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
            problem = new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Unexpected error" };
        }
        return await problems.WriteAsync(context, problem, exception);
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
        ControlCharacterException => PlainText.Refusal,
        JsonException { Path: { Length: > 1 } } => "Not a valid value of the expected type.",
        JsonException => "The body is not a JSON object of the expected shape.",
        _ when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => "The body exceeds the size limit.",
        _ when bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase) => "A JSON body is required.",
        _ => "The request could not be read.",
    };

    [LoggerMessage(LogLevel.Error, "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception e, string method, string path);
}

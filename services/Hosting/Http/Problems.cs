using Microsoft.AspNetCore.Http;

namespace MotCua.Hosting.Http;

/// <summary>RFC 9457 answers with the titles docs/api.md §1 promises.</summary>
public static class Problems
{
    public static IResult NotFound(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static IResult Unavailable(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
}

/// <summary>Collects field → messages for a 400 that names every bad field at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors Require(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "Required.");
        else if (value.Length > maxLength) Add(field, $"At most {maxLength} characters.");
        return this;
    }

    /// <summary>
    /// A code that travels in paths, headers and file names (a procedure's, a unit's): letters without marks, digits and
    /// <c>. _ -</c>, so nothing typed into it can break a URL or a header after it was saved.
    /// </summary>
    public FieldErrors Code(string field, string? value, int maxLength = 60)
    {
        var code = value?.Trim();
        if (string.IsNullOrEmpty(code)) Add(field, "Required.");
        else if (code.Length > maxLength) Add(field, $"At most {maxLength} characters.");
        else if (!code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            Add(field, "Only letters without marks, digits and . _ -.");
        return this;
    }

    public IResult ToResult() => Results.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "Invalid input");

    /// <summary>A 422: well-formed, but not something that can be done (a key reused for another request).</summary>
    public IResult ToUnprocessable() => Results.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unprocessable");

    /// <summary>A 429 that names the field whose attempts are being slowed.</summary>
    public IResult ToThrottled() => Results.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");

    /// <summary>A 409 (duplicate, closed target) that still names the field, in the same shape as a 400.</summary>
    public IResult ToConflict() => Results.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}

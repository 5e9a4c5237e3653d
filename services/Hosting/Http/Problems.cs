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

    public IResult ToResult() => Results.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "Invalid input");

    /// <summary>A 409 (duplicate, closed target) that still names the field, in the same shape as a 400.</summary>
    public IResult ToConflict() => Results.ValidationProblem(
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}

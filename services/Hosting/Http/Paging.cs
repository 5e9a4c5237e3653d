using Microsoft.AspNetCore.Http;

namespace MotCua.Hosting.Http;

/// <summary>The list shape of docs/api.md §1: <c>{ items, page, pageSize, total }</c>.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

/// <summary><c>?page=&amp;pageSize=</c>, 1-based, validated like any other input.</summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public int Offset => (Page - 1) * PageSize;

    public static Paging From(HttpRequest request, FieldErrors errors)
    {
        var page = Read(request, "page", 1, int.MaxValue / MaxPageSize, 1, errors);
        var size = Read(request, "pageSize", 1, MaxPageSize, 20, errors);
        return new Paging(page, size);
    }

    private static int Read(HttpRequest request, string name, int min, int max, int fallback, FieldErrors errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0) return fallback;
        if (int.TryParse(text, out var value) && value >= min && value <= max) return value;
        errors.Add(name, $"A whole number from {min} to {max}.");
        return fallback;
    }
}

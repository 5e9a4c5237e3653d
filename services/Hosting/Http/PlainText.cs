using Microsoft.AspNetCore.Http;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MotCua.Hosting.Http;

/// <summary>
/// What text a person can have typed: no control characters but tab and line breaks, and no half of a surrogate pair.
/// A NUL byte cannot be stored by PostgreSQL and the others forge log lines or break headers, so they are refused at
/// the door, naming the field, wherever they come: a JSON string (<see cref="PlainTextConverter"/>), a query, a path or
/// a header (<see cref="PlainTextRequests"/>).
/// </summary>
public static class PlainText
{
    public const string Refusal = "Contains a control character or an invalid character.";

    public static bool IsPlain(string value, bool allowLineBreaks = true)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
                return false;
            }
            if (char.IsLowSurrogate(c)) return false;
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\n' or '\r')) return false;
        }
        return true;
    }
}

/// <summary>Refuses a JSON string that is not <see cref="PlainText"/>; the body binder answers 400 naming its path.</summary>
public sealed class PlainTextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is null || PlainText.IsPlain(value) ? value : throw new ControlCharacterException();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Marks the refusal so the 400 says what was wrong rather than "not a valid value".</summary>
public sealed class ControlCharacterException() : JsonException(PlainText.Refusal);

/// <summary>The same rule for the parts of a request no JSON binder reads: the path, each query value and each header.</summary>
public static class PlainTextRequests
{
    public static Task Check(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        string? field = null;
        if (request.Path.HasValue && !PlainText.IsPlain(request.Path.Value!, allowLineBreaks: false)) field = "path";
        foreach (var (key, values) in request.Query)
        {
            if (field is not null) break;
            if (!PlainText.IsPlain(key, allowLineBreaks: false)) field = "query";
            else if (values.Any(v => v is not null && !PlainText.IsPlain(v, allowLineBreaks: false))) field = key;
        }
        foreach (var (name, values) in request.Headers)
        {
            if (field is not null) break;
            if (values.Any(v => v is not null && !PlainText.IsPlain(v.Replace("\t", " "), allowLineBreaks: false))) field = name;
        }
        return field is null
            ? next(context)
            : new FieldErrors().Add(field, PlainText.Refusal).ToResult().ExecuteAsync(context);
    }
}

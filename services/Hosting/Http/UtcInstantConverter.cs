using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MotCua.Hosting.Http;

/// <summary>The API (docs/api.md §1) answers instants in UTC with <c>Z</c>, whatever offset they were computed in (the calendar works in +07:00).</summary>
public sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}

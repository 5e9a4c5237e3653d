using System.Reflection;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using MotCua.Evaluation.Indicators;
using MotCua.Hosting.Http;
using MotCua.Personnel.Accounts;

namespace MotCua.UnitTests;

/// <summary>
/// The door every body, path, query and header passes, tried with generated input: what cannot be read is a
/// JsonException (a 400 naming its path), never another exception (a 500); control characters never get through; the
/// checks that stand in front of the database never throw.
/// </summary>
public sealed class HostileInputProperties
{
    private static readonly JsonSerializerOptions Platform = HttpDefaults.ApplyJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Every request shape the four services bind a body to.</summary>
    private static readonly Type[] RequestTypes = new[]
        {
            typeof(MotCua.Dossier.Dossiers.Intake), typeof(MotCua.Personnel.Accounts.TokenEndpoint),
            typeof(MotCua.Evaluation.Indicators.Period), typeof(MotCua.Notification.Feed.EventFeed),
        }
        .Select(t => t.Assembly)
        .SelectMany(a => a.GetTypes())
        .Where(t => t.IsNested && t.IsPublic is false && t.IsNestedPublic && !t.IsGenericType && t.GetConstructors().Length > 0
            && (t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name is "LogIn" or "Refresh" or "ChangeRequest" or "ResetRequest"))
        .ToArray();

    private static readonly string[] Values =
    [
        "null", "true", "-1", "0", "1e309", "99999999999999999999999", "\"\"", "\"x\"", "[]", "{}", "[null]", "\"2027-02-30\"",
        "\"0001-01-01\"", "\"9999-12-31T23:59:59Z\"", "\"not-a-guid\"", $"\"{Guid.Empty}\"", "\"\\u0000\"", "\"a\\u0007b\"", "\"\\ud800\"",
        "\"\\udc00x\"", "\"line\\r\\nbreak\"", "1.5", "\"PT-1H\"", "[\"a\",null]", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "\"\\u001b[31m\"",
    ];

    private static string[] FieldsOf(Type type) =>
        [.. type.GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)), "unknown", "Papers", "applicant"];

    [Fact]
    public void Two_thousand_generated_bodies_for_every_request_shape_are_read_or_refused_as_json_never_thrown_otherwise()
    {
        Assert.True(RequestTypes.Length >= 15, $"found {RequestTypes.Length} request shapes: {string.Join(", ", RequestTypes.Select(t => t.Name))}");
        var random = new Random(22);
        var (tried, refused) = (0, 0);
        var surprises = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var type = RequestTypes[i % RequestTypes.Length];
            var fields = FieldsOf(type);
            string Member() => $"\"{fields[random.Next(fields.Length)]}\":" + (random.Next(4) == 0
                ? "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 3)).Select(_ => $"\"{fields[random.Next(fields.Length)]}\":{Values[random.Next(Values.Length)]}")) + "}"
                : Values[random.Next(Values.Length)]);
            var body = random.Next(8) switch
            {
                0 => new string('[', random.Next(30, 100)),
                1 => Values[random.Next(Values.Length)],
                2 => "{\"" + fields[random.Next(fields.Length)] + "\":",
                _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(1, 6)).Select(_ => Member())) + "}",
            };
            tried++;
            try
            {
                var value = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(body), type, Platform);
                // Whatever was read holds no control character: it reached no string, or it was refused.
                var written = JsonSerializer.Serialize(value, type, Platform);
                if (!PlainText.IsPlain(JsonSerializer.Deserialize<JsonElement>(written).ToString()))
                    surprises.Add($"{type.Name} kept a control character from {body}");
            }
            catch (JsonException)
            {
                refused++;
            }
            catch (Exception e)
            {
                surprises.Add($"{type.Name} {body[..Math.Min(body.Length, 120)]}: {e.GetType().Name} {e.Message}");
            }
        }
        Console.WriteLine($"generated bodies: {tried} over {RequestTypes.Length} request shapes, {refused} refused as JSON, {tried - refused} read");
        Assert.True(surprises.Count == 0, string.Join("\n", surprises.Take(10)));
    }

    /// <summary>Strings of what people type and what attackers add: Vietnamese, digits, controls, halves of surrogate pairs.</summary>
    private static Arbitrary<string> Typed() =>
        Gen.Elements('a', 'Z', '0', '9', '-', ' ', '.', 'ệ', 'Đ', '٣', '\0', '\a', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085',
                '\ud83d', '\ude00', '\u202e', 'Q')
            .ArrayOf().Select(chars => new string(chars)).ToArbitrary();

    [Fact]
    public void Text_with_a_control_character_or_a_lone_surrogate_is_never_plain_and_ordinary_text_always_is() =>
        Prop.ForAll(Typed(), text =>
        {
            var expected = !text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                && Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) == text;
            return PlainText.IsPlain(text) == expected;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Reporting_periods_are_checked_without_throwing_whatever_is_typed() =>
        Prop.ForAll(Typed(), text =>
        {
            Period.IsValid(text);
            Period.IsValid("2026-" + text);
            return true;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData("0000", false)]
    [InlineData("9999-12", false)]
    [InlineData("2025-02-30", false)]
    [InlineData("1999-12-31", false)]
    [InlineData("2026-Q4", true)]
    [InlineData("2026-02-28", true)]
    [InlineData("2026\n", false)]
    [InlineData("٢٠٢٦", false)]
    public void A_period_lies_on_the_calendar_between_2000_and_2100(string period, bool valid) => Assert.Equal(valid, Period.IsValid(period));

    [Theory]
    [InlineData("Admin", "admin")]
    [InlineData("  admin ", "admin")]
    [InlineData("Nguyen.Van.A", "nguyen.van.a")]
    public void Usernames_compare_without_case_and_surrounding_spaces(string typed, string key) => Assert.Equal(key, Credentials.Normalise(typed));

    [Theory]
    [InlineData("ab", false)]
    [InlineData("nguyễn", false)]
    [InlineData("a\u0000b", false)]
    [InlineData("counter.01@xa-an-binh", true)]
    public void Usernames_are_plain_letters_digits_and_a_few_signs(string username, bool valid)
    {
        var errors = new FieldErrors();
        Credentials.CheckUsername(errors, "username", username);
        Assert.Equal(valid, !errors.Any);
    }

    [Theory]
    [InlineData("ngan", "can.bo", false)]
    [InlineData("mat-khau-CAN.BO-1", "can.bo", false)]
    [InlineData("mat-khau-an-toan", "can.bo", true)]
    public void A_password_is_long_enough_and_does_not_contain_the_username(string password, string username, bool valid)
    {
        var errors = new FieldErrors();
        Credentials.CheckPassword(errors, "newPassword", password, username);
        Assert.Equal(valid, !errors.Any);
    }

    [Fact]
    public void A_csv_cell_that_would_start_a_formula_is_written_as_text_and_numbers_stay_numbers()
    {
        var table = new Csv.Table("name", "count").Row("=HYPERLINK(\"http://x\",\"bấm\")", -5).Row("+84912", 3).Row("@SUM(A1)", 0)
            .Row("-1+1", 1).Row("\tTab", 2).Row("Xã An Bình", 7);
        Assert.Equal(
            "name,count\n'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\"),-5\n'+84912,3\n'@SUM(A1),0\n'-1+1,1\n'\tTab,2\nXã An Bình,7\n".Replace(
                "'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"bấm\"\")\""),
            table.ToString());
    }

    [Theory]
    [InlineData("1.001193.000.00.00.H57", true)]
    [InlineData("T.CRLF\r\nX: 1", false)]
    [InlineData("mã-có-dấu", false)]
    public void A_code_has_only_what_a_path_and_a_header_carry(string code, bool valid) =>
        Assert.Equal(valid, !new FieldErrors().Code("code", code).Any);
}

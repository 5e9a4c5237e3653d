using System.Globalization;
using MotCua.Dossier.Calendar;

namespace MotCua.Dossier.Papers;

/// <summary>
/// Cơ quan ban hành: the body a paper is issued in the name of, as Decree 30/2020 prints it at top left. A commune's
/// People's Committee reads "ỦY BAN NHÂN DÂN" over "XÃ PHONG THÁI"; an agency reads the body above it over its own name.
/// </summary>
/// <param name="Above">The first line: the collegial body or the body above (regular).</param>
/// <param name="Name">The second line: the issuing body itself (bold).</param>
/// <param name="Abbreviation">Its abbreviation in document numbers: UBND for a People's Committee.</param>
/// <param name="Place">Địa danh: where it sits, as the date line starts ("Phong Thái").</param>
/// <param name="Collegial">Whether its head signs for a collegial body ("TM. ỦY BAN NHÂN DÂN"), as a People's Committee's does.</param>
/// <param name="Called">Its name inside a sentence: "Ủy ban nhân dân xã Phong Thái".</param>
public sealed record Issuer(string Above, string Name, string Abbreviation, string Place, bool Collegial, string Called);

/// <summary>Người ký: who signs for the issuing body, as Personnel knows them. The title decides the capacity.</summary>
public sealed record Signatory(string Name, string? Title);

/// <summary>The rules of Decree 30/2020 that every paper shares: date, number, motto and signing capacity.</summary>
public static class Decree30
{
    public const string Motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
    public const string MottoLine = "Độc lập - Tự do - Hạnh phúc";
    public const string PeoplesCommittee = "ỦY BAN NHÂN DÂN";

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>Unit types whose body is a People's Committee (Ủy ban nhân dân).</summary>
    private static readonly HashSet<string> Territorial = ["province", "district", "commune", "ward", "town", "special_zone", "cluster"];

    /// <summary>The words naming a unit's kind, dropped from the place name: "Xã Phong Thái" sits in "Phong Thái".</summary>
    private static readonly string[] KindWords =
        ["Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Phường", "Xã"];

    /// <summary>
    /// The issuing body from the unit tree: a territorial unit issues as its People's Committee; an agency (land office,
    /// police, tax) under the body above it (the unit it is attached to).
    /// </summary>
    public static Issuer IssuerOf(string unitName, string? unitType, string? parentName, string? parentType)
    {
        var name = WithoutCommittee(unitName);
        if (unitType is null || Territorial.Contains(unitType))
            return new Issuer(PeoplesCommittee, Upper(name), "UBND", PlaceOf(name), true, $"Ủy ban nhân dân {Lowered(name)}");
        var above = parentName is null ? PeoplesCommittee
            : parentType is null || Territorial.Contains(parentType) ? $"UBND {Upper(WithoutCommittee(parentName))}"
            : Upper(parentName);
        return new Issuer(above, Upper(name), Initials(name), PlaceOf(parentName is not null && (parentType is null || Territorial.Contains(parentType))
            ? WithoutCommittee(parentName) : name), false, name);
    }

    /// <summary>
    /// "Phong Thái, ngày 05 tháng 02 năm 2027": Decree 30 writes days below 10 and the months January and February with a
    /// leading zero, and no other month, in Vietnam's time.
    /// </summary>
    public static string PlaceAndDate(string place, DateTimeOffset at) => $"{place}, {DateInWords(at)}";

    public static string DateInWords(DateTimeOffset at)
    {
        var local = at.ToOffset(WorkingCalendar.Offset);
        var month = local.Month <= 2 ? local.Month.ToString("00", CultureInfo.InvariantCulture) : local.Month.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"ngày {local.Day:00} tháng {month} năm {local.Year}");
    }

    /// <summary>"16 giờ 00 phút, ngày 14/01/2027", as forms state an appointment.</summary>
    public static string TimeAndDate(DateTimeOffset at) =>
        at.ToOffset(WorkingCalendar.Offset).ToString("HH 'giờ' mm 'phút, ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// "Số: 12/XL-UBND": the sequence in the issuing body's book (numbers below 10 with a leading zero, no year: the book
    /// restarts every year), the kind of paper and the body's abbreviation.
    /// </summary>
    public static string Number(int sequence, string kind, Issuer issuer) =>
        string.Create(CultureInfo.InvariantCulture, $"Số: {sequence:00}/{kind}-{issuer.Abbreviation}");

    /// <summary>
    /// The capacity lines above the name. A People's Committee is collegial: its chair signs "TM. ỦY BAN NHÂN DÂN" /
    /// "CHỦ TỊCH", a vice chair adds "KT. CHỦ TỊCH". An agency's head signs under the title, a deputy "KT." for the head.
    /// Without a known title the capacity stops at what is sure: the body signed for.
    /// </summary>
    public static IReadOnlyList<string> Capacity(Issuer issuer, Signatory? signer)
    {
        var lines = new List<string>();
        if (issuer.Collegial) lines.Add($"TM. {issuer.Above}");
        var title = signer?.Title is { Length: > 0 } t ? Position(t) : null;
        if (title is null)
        {
            if (!issuer.Collegial) lines.Add("THỦ TRƯỞNG CƠ QUAN");
            return lines;
        }
        if (title.StartsWith("PHÓ ", StringComparison.Ordinal))
        {
            lines.Add($"KT. {title[4..]}");
            lines.Add(title);
        }
        else lines.Add(title);
        return lines;
    }

    /// <summary>Whether a title is a deputy's (phó), who signs for the head (KT.).</summary>
    public static bool IsDeputy(string? title) => title is { } t && t.TrimStart().StartsWith("Phó", StringComparison.OrdinalIgnoreCase);

    /// <summary>"Phó Chủ tịch UBND" → "PHÓ CHỦ TỊCH": the post, without the body it is the post of.</summary>
    private static string Position(string title)
    {
        var post = title.Trim();
        foreach (var body in new[] { " UBND", " Ủy ban nhân dân", " Uỷ ban nhân dân" })
            if (post.IndexOf(body, StringComparison.OrdinalIgnoreCase) is > 0 and var at) post = post[..at];
        return Upper(post.Trim());
    }

    private static string WithoutCommittee(string name)
    {
        var trimmed = name.Trim();
        foreach (var prefix in new[] { "UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân " })
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return Capitalised(trimmed[prefix.Length..].Trim());
        return trimmed;
    }

    private static string PlaceOf(string name)
    {
        foreach (var word in KindWords)
            if (name.StartsWith(word + " ", StringComparison.OrdinalIgnoreCase)) return name[(word.Length + 1)..].Trim();
        return name;
    }

    /// <summary>An agency's abbreviation: the first letter of each word ("Công an xã Phong Thái" → "CAXPT").</summary>
    private static string Initials(string name) =>
        string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => char.IsLetter(w[0])).Select(w => char.ToUpper(w[0], Vietnamese)));

    public static string Upper(string text) => text.ToUpper(Vietnamese);

    /// <summary>"Xã Phong Thái" → "xã Phong Thái": the kind word inside a sentence.</summary>
    private static string Lowered(string name) =>
        KindWords.Any(w => name.StartsWith(w + " ", StringComparison.Ordinal)) ? char.ToLower(name[0], Vietnamese) + name[1..] : name;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpper(text[0], Vietnamese) + text[1..];
}

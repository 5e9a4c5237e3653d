
namespace MotCua.Personnel.Officials;

/// <summary>
/// The ordered scales an official is measured on. The order is what "at least" means in the
/// standard rules and the job positions' requirements.
/// </summary>
public sealed record Scale(string Name, string[] Levels)
{
    public bool Contains(string? value) => value is not null && Levels.Contains(value);

    public int Rank(string value) => Array.IndexOf(Levels, value);

    public bool AtLeast(string value, string? minimum) => minimum is null || Rank(value) >= Rank(minimum);

    public string Describe() => "One of: " + string.Join(", ", Levels) + ".";

    public void Check(FieldErrors errors, string field, string? value, bool required = true)
    {
        if ((required || value is not null) && !Contains(value)) errors.Add(field, Describe());
    }
}

public static class Qualifications
{
    /// <summary>Trình độ giáo dục phổ thông: tiểu học, trung học cơ sở, trung học phổ thông.</summary>
    public static readonly Scale General = new("general", ["primary", "lower_secondary", "upper_secondary"]);

    /// <summary>Chuyên môn: sơ cấp, trung cấp, cao đẳng, đại học, thạc sĩ, tiến sĩ.</summary>
    public static readonly Scale Professional = new("professional",
        ["none", "elementary", "intermediate", "college", "university", "master", "doctorate"]);

    /// <summary>Lý luận chính trị: sơ cấp, trung cấp, cao cấp.</summary>
    public static readonly Scale PoliticalTheory = new("politicalTheory", ["none", "elementary", "intermediate", "advanced"]);

    /// <summary>Quản lý nhà nước: chuyên viên, chuyên viên chính, chuyên viên cao cấp.</summary>
    public static readonly Scale StateManagement = new("stateManagement", ["none", "specialist", "principal", "senior"]);

    /// <summary>Cán bộ, công chức, người hoạt động không chuyên trách, viên chức.</summary>
    public static readonly string[] Categories = ["elected_cadre", "civil_servant", "part_time", "public_employee"];

    public static readonly string[] Genders = ["male", "female"];

    public static readonly string[] Roles = ["admin", "counter", "specialist", "leader", "viewer"];

    /// <summary>Everyone not of the Kinh majority counts as an ethnic minority (dân tộc thiểu số).</summary>
    public static bool IsEthnicMinority(string ethnicity) =>
        !string.Equals(ethnicity.Trim(), "Kinh", StringComparison.OrdinalIgnoreCase);
}

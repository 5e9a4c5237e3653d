using MotCua.Personnel.Demo;
using MotCua.Personnel.Officials;
using MotCua.Personnel.Standards;

namespace MotCua.UnitTests;

public sealed class PersonnelRulesTests
{
    private static Official With(string category, string title, string professional, string political = "none") => new(
        Guid.NewGuid(), "Nguyễn Văn A", "male", new DateOnly(1980, 1, 1), "Kinh", category, title,
        new Education("upper_secondary", professional, null, political, "none"), ["viewer"], null, false, null);

    [Fact]
    public void A_title_rule_overrides_its_category_default_and_missing_minimums_ask_nothing()
    {
        var rules = new StandardRuleSet([
            new StandardRule("civil_servant", null, null, "intermediate", null, null),
            new StandardRule("civil_servant", "Tư pháp - Hộ tịch", null, "university", "elementary", null),
        ]);
        Assert.True(rules.Meets(With("civil_servant", "Văn phòng - Thống kê", "intermediate")));
        Assert.False(rules.Meets(With("civil_servant", "Văn phòng - Thống kê", "elementary")));
        Assert.False(rules.Meets(With("civil_servant", "Tư pháp - Hộ tịch", "college", "elementary")));
        Assert.False(rules.Meets(With("civil_servant", "tư pháp - hộ tịch", "university")));
        Assert.True(rules.Meets(With("civil_servant", "Tư pháp - Hộ tịch", "master", "advanced")));
        Assert.True(rules.Meets(With("part_time", "Trưởng thôn", "none")));
    }

    [Fact]
    public void Shares_are_apportioned_exactly_by_largest_remainder()
    {
        var dealt = DemoPopulation.Deal(new Random(1), 1597, ("university", .591), ("college", .022), ("intermediate", .33),
            ("elementary", .04), ("master", .01), ("none", .007));
        Assert.Equal(1597, dealt.Length);
        var counts = dealt.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(944, counts["university"]);
        Assert.Equal(35, counts["college"]);
        Assert.Equal(527, counts["intermediate"]);
        Assert.Equal(64, counts["elementary"]);
        Assert.Equal(16, counts["master"]);
        Assert.Equal(11, counts["none"]);
    }

    [Fact]
    public void The_demo_province_is_the_same_for_the_same_seed_and_has_the_seed_structure()
    {
        var units = DemoPopulation.Units();
        Assert.Equal(105, units.Count(u => u.Type == "commune"));
        Assert.Equal(39, units.Count(u => u.Type == "ward"));
        Assert.Equal(8, units.Count(u => u.Type == "town"));
        Assert.Equal(units.Count, units.Select(u => u.Code).Distinct().Count());
        Assert.Equal(units.Count, units.Select(u => u.AgencyCode).Distinct().Count());

        var first = DemoPopulation.Officials(42);
        Assert.Equal(3355, first.Count);
        Assert.Equal(first.Select(o => (o.FullName, o.UnitCode, o.Education)), DemoPopulation.Officials(42).Select(o => (o.FullName, o.UnitCode, o.Education)));
        Assert.NotEqual(first.Select(o => o.FullName), DemoPopulation.Officials(43).Select(o => o.FullName));
    }
}

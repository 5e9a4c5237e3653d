using MotCua.Personnel.Officials;

namespace MotCua.Personnel.Demo;

/// <summary>
/// A realistic province built from the seed articles, deterministic for a seed number: Thừa Thiên Huế as
/// its Department of Home Affairs reported it (seed 002) — 105 communes, 39 wards and 8 towns in 9
/// district-level units, 1,597 elected cadres and 1,758 civil servants (the article says 1,759 but a
/// total of 3,355; the total wins), with the article's shares of university and college degrees and of
/// intermediate-or-higher political theory. Shares are apportioned exactly (largest remainder).
/// </summary>
public static class DemoPopulation
{
    public sealed record DemoUnit(string Code, string Name, string Type, string? ParentCode, string AgencyCode, string? AgencyKind = null);

    public sealed record DemoOfficial(
        string FullName, string Gender, DateOnly BirthDate, string Ethnicity, string Category, string Title, string UnitCode,
        Education Education, string[] Roles, bool HasTraining);

    public const string ProvinceCode = "T46";

    public const int Cadres = 1597;
    public const int CivilServants = 1758;

    // (name, wards, towns, communes); the district-level units of Thừa Thiên Huế before 2025.
    private static readonly (string Name, string Type, int Wards, int Towns, int Communes)[] Districts =
    [
        ("Thành phố Huế", "district", 27, 0, 9),
        ("Thị xã Hương Thủy", "district", 5, 0, 5),
        ("Thị xã Hương Trà", "district", 7, 0, 2),
        ("Huyện Phong Điền", "district", 0, 1, 15),
        ("Huyện Quảng Điền", "district", 0, 1, 10),
        ("Huyện Phú Vang", "district", 0, 2, 12),
        ("Huyện Phú Lộc", "district", 0, 2, 16),
        ("Huyện A Lưới", "district", 0, 1, 25),
        ("Huyện Nam Đông", "district", 0, 1, 11),
    ];

    private static readonly string[] HighlandDistricts = ["Huyện A Lưới", "Huyện Nam Đông"];

    private static readonly string[] PlaceWords =
    [
        "An", "Bình", "Hòa", "Phú", "Thuận", "Vinh", "Hương", "Lộc", "Xuân", "Thủy", "Phong", "Điền", "Quảng", "Hải", "Long",
        "Thạnh", "Tân", "Đông", "Tây", "Nam", "Bắc", "Sơn", "Mỹ", "Lợi", "Hiền", "Thành", "Vân", "Trung", "Phước", "Khê",
    ];

    private static readonly string[] FamilyNames =
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Tôn Thất", "Hồ Văn"];

    private static readonly string[] MaleMiddle = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công"];
    private static readonly string[] FemaleMiddle = ["Thị", "Ngọc", "Thu", "Thanh", "Minh"];
    private static readonly string[] MaleGiven = ["An", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Vinh"];
    private static readonly string[] FemaleGiven = ["Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Quỳnh", "Tâm", "Thảo", "Thu", "Trang", "Vân", "Yến", "Hoa"];
    private static readonly string[] Minorities = ["Tà Ôi", "Cơ Tu", "Pa Kô", "Bru-Vân Kiều"];

    /// <summary>Chức danh of elected cadres at commune level, with the role each gets in MotCua.</summary>
    private static readonly (string Title, string Role)[] CadreTitles =
    [
        ("Bí thư Đảng ủy", "viewer"), ("Phó Bí thư Đảng ủy", "viewer"), ("Chủ tịch HĐND", "viewer"), ("Phó Chủ tịch HĐND", "viewer"),
        ("Chủ tịch UBND", "leader"), ("Phó Chủ tịch UBND", "leader"), ("Chủ tịch UBMTTQ", "viewer"), ("Bí thư Đoàn TNCS", "viewer"),
        ("Chủ tịch Hội Phụ nữ", "viewer"), ("Chủ tịch Hội Nông dân", "viewer"), ("Chủ tịch Hội Cựu chiến binh", "viewer"),
    ];

    /// <summary>The six commune civil-servant titles before the 2025 reform.</summary>
    public static readonly (string Title, string Role)[] CivilServantTitles =
    [
        ("Chỉ huy trưởng Quân sự", "specialist"), ("Văn phòng - Thống kê", "counter"), ("Địa chính - Xây dựng", "specialist"),
        ("Tài chính - Kế toán", "specialist"), ("Tư pháp - Hộ tịch", "counter"), ("Văn hóa - Xã hội", "specialist"),
    ];

    public static IReadOnlyList<DemoUnit> Units()
    {
        var units = new List<DemoUnit> { new(ProvinceCode, "Tỉnh Thừa Thiên Huế", "province", null, "000.00.00.H57") };
        var placeIndex = 0;
        for (var d = 0; d < Districts.Length; d++)
        {
            var district = Districts[d];
            var districtCode = $"{ProvinceCode}-D{d + 1:00}";
            units.Add(new DemoUnit(districtCode, district.Name, district.Type, ProvinceCode, $"000.00.{d + 1:00}.H57"));
            var n = 0;
            foreach (var (type, count, prefix) in new[] { ("ward", district.Wards, "Phường"), ("town", district.Towns, "Thị trấn"), ("commune", district.Communes, "Xã") })
                for (var i = 0; i < count; i++, n++, placeIndex++)
                {
                    var name = $"{prefix} {PlaceWords[placeIndex % PlaceWords.Length]} {PlaceWords[(placeIndex / PlaceWords.Length + placeIndex * 7 + 3) % PlaceWords.Length]}";
                    units.Add(new DemoUnit($"{districtCode}-{n + 1:00}", name, type, districtCode, $"000.{n + 1:00}.{d + 1:00}.H57"));
                    // Công an xã: since the 2020 Law on Residence the commune police register residence.
                    units.Add(new DemoUnit($"{districtCode}-{n + 1:00}-CA", $"Công an {name}", "agency", $"{districtCode}-{n + 1:00}",
                        $"{n + 1:000}.{d + 1:00}.92.H57", "police"));
                }
            // The bodies a commune's land and tax dossiers pass through (liên thông), one branch for each district's communes.
            var place = district.Name.Replace("Thành phố ", "").Replace("Thị xã ", "").Replace("Huyện ", "");
            units.Add(new DemoUnit($"{districtCode}-CNDKDD", $"Chi nhánh Văn phòng Đăng ký đất đai {place}", "agency", districtCode,
                $"000.90.{d + 1:00}.H57", "land_registration"));
            units.Add(new DemoUnit($"{districtCode}-THUE", $"Thuế cơ sở {place}", "agency", districtCode, $"000.91.{d + 1:00}.H57", "tax"));
        }
        return units;
    }

    public static IReadOnlyList<DemoOfficial> Officials(int seed)
    {
        var random = new Random(seed);
        var communes = Units().Where(u => u.Type is "commune" or "ward" or "town").ToList();
        var highland = Units().Where(u => HighlandDistricts.Contains(u.Name)).Select(u => u.Code).ToHashSet();

        var cadreProfessional = Deal(random, Cadres, ("university", .591), ("college", .022), ("intermediate", .33),
            ("elementary", .04), ("master", .01), ("none", .007));
        var civilProfessional = Deal(random, CivilServants, ("university", .675), ("college", .068), ("intermediate", .23),
            ("elementary", .017), ("master", .01));
        var cadrePolitical = Deal(random, Cadres, ("intermediate", .70), ("advanced", .135), ("elementary", .12), ("none", .045));
        var civilPolitical = Deal(random, CivilServants, ("intermediate", .38), ("advanced", .046), ("elementary", .40), ("none", .174));
        var general = Deal(random, Cadres + CivilServants, ("upper_secondary", .9368), ("lower_secondary", .06), ("primary", .0032));
        var stateManagement = Deal(random, Cadres + CivilServants, ("specialist", .42), ("principal", .07), ("none", .51));

        var officials = new List<DemoOfficial>(Cadres + CivilServants);
        for (var i = 0; i < Cadres + CivilServants; i++)
        {
            var cadre = i < Cadres;
            var commune = communes[i % communes.Count];
            var (title, role) = cadre ? CadreTitles[i / communes.Count % CadreTitles.Length]
                : CivilServantTitles[(i - Cadres) / communes.Count % CivilServantTitles.Length];
            var female = random.NextDouble() < 0.32;
            var minority = highland.Contains(commune.ParentCode!) ? random.NextDouble() < 0.7 : random.NextDouble() < 0.02;
            officials.Add(new DemoOfficial(
                Name(random, female), female ? "female" : "male",
                new DateOnly(1965, 1, 1).AddDays(random.Next(0, 33 * 365)),
                minority ? Minorities[random.Next(Minorities.Length)] : "Kinh",
                cadre ? "elected_cadre" : "civil_servant", title, commune.Code,
                new Education(general[i], cadre ? cadreProfessional[i] : civilProfessional[i - Cadres], null,
                    cadre ? cadrePolitical[i] : civilPolitical[i - Cadres], stateManagement[i]),
                [role], random.NextDouble() < 0.4));
        }
        return officials;
    }

    /// <summary>Exactly apportioned values (largest remainder), shuffled by the seed.</summary>
    public static string[] Deal(Random random, int count, params (string Value, double Share)[] shares)
    {
        var exact = shares.Select(s => (s.Value, Quota: s.Share * count)).ToList();
        var counts = exact.ToDictionary(s => s.Value, s => (int)Math.Floor(s.Quota));
        foreach (var (value, _) in exact.OrderByDescending(s => s.Quota - Math.Floor(s.Quota)).Take(count - counts.Values.Sum()))
            counts[value]++;
        var values = counts.SelectMany(c => Enumerable.Repeat(c.Key, c.Value)).ToArray();
        random.Shuffle(values);
        return values;
    }

    private static string Name(Random random, bool female) =>
        $"{FamilyNames[random.Next(FamilyNames.Length)]} {(female ? FemaleMiddle : MaleMiddle)[random.Next(5)]} {(female ? FemaleGiven : MaleGiven)[random.Next(female ? FemaleGiven.Length : MaleGiven.Length)]}";
}

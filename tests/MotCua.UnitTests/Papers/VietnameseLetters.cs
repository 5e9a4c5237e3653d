using System.Globalization;
using System.Text;

namespace MotCua.UnitTests.Papers;

/// <summary>
/// The 134 precomposed letters of Vietnamese, capital and small: the twelve vowels a ă â e ê i o ô ơ u ư y with each of
/// the six tones (no mark, grave, hook, tilde, acute, dot below), and đ. Built from the rule, not typed, so none is missed.
/// </summary>
public static class VietnameseLetters
{
    private static readonly string[] Vowels = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031B", "u", "u\u031B", "y"];
    private static readonly string[] Tones = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"];

    public static readonly IReadOnlyList<char> Small = [.. Vowels.SelectMany(v => Tones.Select(t => (v + t).Normalize(NormalizationForm.FormC)))
        .Where(s => s.Length == 1).Select(s => s[0]).Append('đ').Where(c => c > 0x7F)];

    public static readonly IReadOnlyList<char> All = [.. Small, .. Small.Select(c => char.ToUpper(c, CultureInfo.InvariantCulture))];
}

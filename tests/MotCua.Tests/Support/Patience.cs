using System.Globalization;

namespace MotCua.Tests.Support;

/// <summary>
/// The one setting every wait of the end-to-end tests takes its patience from: <c>MOTCUA_TEST_PATIENCE</c>, a factor
/// (1 unless set; 2 gives every wait twice as long). Each wait names its budget on this 2-core machine, and
/// <see cref="Eventually"/>, the fixture, the operator tool, the browser's expectations and the HTTP clients all scale it
/// by this factor, so a slower machine changes one number rather than every test.
/// </summary>
public static class Patience
{
    public static double Factor { get; } = Read();

    /// <summary>How long a wait whose budget here is <paramref name="budget"/> may take on this run.</summary>
    public static TimeSpan Of(TimeSpan budget) => budget * Factor;

    /// <summary>The same, in milliseconds, for Playwright's <c>Timeout</c> options.</summary>
    public static float Milliseconds(int budget) => (float)(budget * Factor);

    private static double Read()
    {
        var text = Environment.GetEnvironmentVariable("MOTCUA_TEST_PATIENCE");
        if (string.IsNullOrWhiteSpace(text)) return 1;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0
            ? factor
            : throw new InvalidOperationException($"MOTCUA_TEST_PATIENCE is '{text}': give a positive factor such as 1.5 or 2.");
    }
}

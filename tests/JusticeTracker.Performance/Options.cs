using System.Globalization;

namespace JusticeTracker.Performance;

/// <summary>Sizes and durations of one run; <c>--smoke</c> shrinks every one so the test suite can run it in a minute.</summary>
public sealed record Options(
    int SmallCases,
    int LargeCases,
    int CopyRows,
    TimeSpan Window,
    string Output,
    string ConnectionString,
    bool Smoke,
    string CommandLine,
    IReadOnlySet<string> Only)
{
    /// <summary>The phases a run measures: all of them, unless <c>--only</c> names some (to work on one at a time).</summary>
    public static readonly string[] Phases = ["checks", "limits", "sizes", "rebuild", "recording", "pages", "import"];

    public bool Runs(string phase) => Only.Count == 0 || Only.Contains(phase);

    public static Options Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var smoke = args.Contains("--smoke");
        var only = (Value("--only") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (only.Except(Phases).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"--only takes {string.Join(", ", Phases)}; '{unknown}' is none of them.");
        }

        var connection = Value("--connection") ?? Environment.GetEnvironmentVariable("JT_CONNECTION_STRING")
            ?? "Host=127.0.0.1;Port=55432;Database=justicetracker;Username=justicetracker;Password=justicetracker";
        return new Options(
            Number("--cases-small", smoke ? 200 : 10_000),
            Number("--cases-large", smoke ? 400 : 100_000),
            Number("--copy-rows", smoke ? 5_000 : 300_000),
            TimeSpan.FromSeconds(Number("--seconds", smoke ? 1 : 10)),
            // A partial run never rewrites the documented table unless asked to.
            Value("--out") ?? (only.Count > 0 ? "" : Path.Combine(Repository.Root, "docs", "performance.md")),
            connection,
            smoke,
            "infra/bench.sh " + string.Join(' ', args),
            only);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using JusticeTracker.Cases;

namespace JusticeTracker.Performance;

/// <summary>
/// The personal-data check on notes of the longest length a note may have (500 characters):
/// ordinary legal notes, the same with a leak at the end (the check stops at its first sure
/// finding, so a leak at the end is its slowest leak), and hostile notes made of the repetitions
/// that make patterns backtrack. In this process, not over HTTP: it is a pure function. The limit
/// beside it is one regular-expression scan of the same notes, timed in the same run, so a busy
/// machine shows in both.
/// </summary>
public static partial class PersonalDataBenchmark
{
    private const int Length = 500;

    public static void Measure(Results table, bool smoke)
    {
        var folder = Path.Combine(Repository.Root, "tests", "JusticeTracker.Tests", "Cases", "PersonalData");
        string[] Lines(string file) => [.. File.ReadLines(Path.Combine(folder, file)).Where(l => l.Trim().Length > 0 && !l.StartsWith('#'))];
        var legal = Lines("legal-notes.txt").Concat(Lines("holdout-legal-notes.txt")).ToArray();
        var leaks = Lines("leaks.txt").Select(l => l.Split(" | ", 2)[1]).ToArray();

        var ordinary = Fill(legal, 0, 60);
        var leaking = leaks.Take(60).Select((leak, i) => Fill(legal, i * 7, 1)[0][..(Length - leak.Length - 1)] + " " + leak).ToArray();
        string[] patterns = ["@", "a.", "1 ", "A. ", "a at b dot ", "Ab ", "-1.0000,", "x@y.", "Ab Cd. ", "0 ", "Zz-", "1.1.", "a@", "Rue ", "Wanjiru ", "zero "];
        var hostile = patterns.Select(p => string.Concat(Enumerable.Repeat(p, (Length / p.Length) + 1))[..Length]).ToArray();

        var check = new PersonalDataCheck(new PersonalDataOptions());
        var repeat = smoke ? 5 : 200;
        var all = ordinary.Concat(leaking).Concat(hostile).ToArray();
        for (var warm = 0; warm < (smoke ? 2 : 20); warm++)
        {
            foreach (var note in all)
            {
                check.Find(note, "KE");
                OldPhonePattern().IsMatch(note);
            }
        }

        // Wall-clock time, and the processor time the work was given: on a shared machine the first
        // also counts the waits for a core, the second only the check's own work.
        (double Wall, double Processor) Time(Func<string, object?> work, string note)
        {
            var processor = Process.GetCurrentProcess().TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < repeat; i++)
            {
                work(note);
            }

            var wall = Stopwatch.GetElapsedTime(start).TotalMicroseconds / repeat;
            return (wall, (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalMicroseconds / repeat);
        }

        var checkTimes = new Dictionary<string, List<(double Wall, double Processor)>> { ["ordinary"] = [], ["leaking"] = [], ["hostile"] = [] };
        var scanTimes = new List<double>();
        foreach (var (kind, notes) in new[] { ("ordinary", ordinary), ("leaking", leaking), ("hostile", hostile) })
        {
            foreach (var note in notes)
            {
                checkTimes[kind].Add(Time(n => check.Find(n, "KE"), note));
                scanTimes.Add(Time(n => OldPhonePattern().IsMatch(n), note).Wall);
            }
        }

        static double P99(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Count) - 1, 0, sorted.Count - 1)];
        }

        var every = checkTimes.Values.SelectMany(t => t).ToList();
        var wallP99 = P99(every.Select(t => t.Wall));
        var processorP99 = P99(every.Select(t => t.Processor));
        var scan = scanTimes.Average();
        string Of(string kind) => string.Create(CultureInfo.InvariantCulture, $"{kind} {checkTimes[kind].Average(t => t.Processor):N0} µs (slowest {checkTimes[kind].Max(t => t.Processor):N0})");
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        table.Add("One regular-expression scan of the same 500-character notes (the old check's phone pattern)", string.Create(CultureInfo.InvariantCulture, $"{scan:N1} µs"), "(limit)");
        table.Add(
            $"Personal-data check of a 500-character note ({all.Length} notes, each {repeat} times)",
            string.Create(CultureInfo.InvariantCulture, $"processor time p99 {processorP99:N0} µs, mean {Of("ordinary")}, {Of("leaking")}, {Of("hostile")}; wall-clock p99 {wallP99:N0} µs at load average {load}; {every.Average(t => t.Wall) / scan:N0}× one scan"),
            "p99 < 1 ms",
            processorP99 < 1000);
    }

    /// <summary>Legal notes joined into notes of 500 characters, starting at a different note each time.</summary>
    private static string[] Fill(string[] legal, int offset, int count)
    {
        var notes = new string[count];
        for (var n = 0; n < count; n++)
        {
            var text = new StringBuilder();
            for (var i = offset + (n * 3); text.Length < Length; i++)
            {
                text.Append(legal[i % legal.Length]).Append(' ');
            }

            notes[n] = text.ToString()[..Length];
        }

        return notes;
    }

    [GeneratedRegex(@"(?<![\p{L}\d])(\+?\d[\s().-]?){7,}", RegexOptions.CultureInvariant)]
    private static partial Regex OldPhonePattern();
}

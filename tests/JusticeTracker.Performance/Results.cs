using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace JusticeTracker.Performance;

/// <summary>The table of one run, and how it is written into docs/performance.md.</summary>
public sealed class Results
{
    public const string Begin = "<!-- bench:begin -->";
    public const string End = "<!-- bench:end -->";

    private readonly List<(string Measure, string Value, string Target, string Result)> rows = [];
    private readonly List<string> notes = [];

    public bool Failed { get; private set; }

    public void Add(string measure, string value, string target, bool? met = null)
    {
        rows.Add((measure, value, target, met switch { true => "met", false => "**missed**", null => "—" }));
        Benchmark.Log($"{measure}: {value}");
    }

    public async Task PhaseAsync(string name, bool runs, Func<Task> phase)
    {
        if (!runs)
        {
            Benchmark.Log($"phase: {name} (left out by --only)");
            return;
        }

        Benchmark.Log($"phase: {name}");
        try
        {
            await phase();
        }
        catch (Exception ex)
        {
            Failed = true;
            rows.Add((name, $"failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}", "—", "**failed**"));
            notes.Add($"{name} failed: {ex}");
            Benchmark.Log($"phase {name} failed: {ex}");
        }
    }

    public static async Task<string> MarkdownAsync(Results results, Options options, string connectionString, long events)
    {
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `{options.CommandLine.Trim()}`.");
        text.AppendLine();
        text.AppendLine("| machine | |");
        text.AppendLine("|---|---|");
        foreach (var (name, value) in await MachineAsync(connectionString))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        text.AppendLine();
        text.AppendLine("| measure | value | target | result |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (measure, value, target, result) in results.rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {value} | {target} | {result} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Sizes: {options.SmallCases:N0} then {options.LargeCases:N0} synthetic cases ({events:N0} events, seed 20261128); load windows of {options.Window.TotalSeconds:N0} s, each after an uncounted warm-up of {options.Window.TotalSeconds / 5:N0} s; the analyst report timed {(options.Smoke ? 5 : 200)} times in a row; the app, PostgreSQL and the load all on this machine. The app runs with follow-up checks off (`FollowUps:CheckOnEveryChange=false`): after a bulk import they would check every imported case at once.");
        foreach (var note in results.notes)
        {
            text.AppendLine();
            text.AppendLine("```");
            text.AppendLine(note);
            text.AppendLine("```");
        }

        text.AppendLine(End);
        return text.ToString();
    }

    /// <summary>Puts the run between the markers, keeping what was written by hand around them.</summary>
    public static void WriteInto(string path, string measured)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        if (existing is not null && existing.Contains(Begin, StringComparison.Ordinal) && existing.Contains(End, StringComparison.Ordinal))
        {
            var start = existing.IndexOf(Begin, StringComparison.Ordinal);
            var end = existing.IndexOf(End, StringComparison.Ordinal) + End.Length;
            File.WriteAllText(path, existing[..start] + measured.TrimEnd() + existing[end..]);
            return;
        }

        File.WriteAllText(path, "# Performance\n\n" + measured + "\n## What was tried\n");
    }

    private static async Task<List<(string, string)>> MachineAsync(string connectionString)
    {
        string Read(string file, string key) => File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(key.EndsWith('=') ? '=' : ':', 2)[1].Trim().Trim('"') ?? "?"
            : "?";
        string postgres;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            async Task<string> Show(string setting)
            {
                await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
                return (string)(await command.ExecuteScalarAsync())!;
            }

            postgres = $"{await Show("server_version")} (fsync {await Show("fsync")}, shared_buffers {await Show("shared_buffers")})";
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // A run of the in-process measures alone (--only checks) needs no database.
            postgres = $"not reached ({ex.GetType().Name})";
        }

        var memory = Read("/proc/meminfo", "MemTotal:");
        return
        [
            ("CPU", $"{Read("/proc/cpuinfo", "model name")} × {Environment.ProcessorCount}"),
            ("memory", memory),
            ("OS", $"{Read("/etc/os-release", "PRETTY_NAME=")}, kernel {Environment.OSVersion.Version}"),
            (".NET", RuntimeInformation.FrameworkDescription),
            ("PostgreSQL", postgres),
        ];
    }
}

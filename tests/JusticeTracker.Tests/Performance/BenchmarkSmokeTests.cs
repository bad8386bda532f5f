using System.Diagnostics;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Performance;

/// <summary>
/// The benchmark at tiny sizes, end to end: it must run and write every row of its table. No
/// figure is judged here (timings belong to the benchmark, never to a test); the full run is
/// <c>infra/bench.sh</c>, and its results are in docs/performance.md.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] Rows =
    [
        "One regular-expression scan of the same 500-character notes",
        "Personal-data check of a 500-character note",
        "Raw PostgreSQL COPY of event-sized rows",
        "Bare Marten append loop, one transaction per case, 1 at a time",
        "Bare Marten append loop, one transaction per case, 32 at a time",
        "Bulk import to 200 cases",
        "Bulk import to 400 cases",
        "Async projections catch up after the import",
        "Analyst report at 200 cases",
        "Analyst report at 400 cases",
        "Raw-event scan report at 400 cases",
        "Report p95 at 400 ÷ at 200 cases",
        "Full rebuild of the statistics",
        "Record an entry over HTTP, 1 at a time",
        "Record an entry over HTTP, 8 at a time",
        "Record an entry over HTTP, 32 at a time",
        "Recording at 32 ÷ bare Marten loop at 32",
        "Trivial signed-in page (an analyst's home page), 32 users",
        "Case page with 20 entries, 32 users",
        "Case page with 20 entries at 32 ÷ trivial signed-in page at 32",
        "Case list (first page), 32 users",
        "Data-quality page of an organisation with",
        "Spreadsheet import, 200 rows (.xlsx",
        "Spreadsheet import, 200 rows: dry run of every row",
        "Spreadsheet import, 200 rows: the import job, confirmation to done",
        "Peak memory of the app process",
    ];

    [Fact]
    public async Task the_benchmark_runs_end_to_end_and_writes_every_measure()
    {
        var output = Path.Combine(Path.GetTempPath(), $"performance-{Guid.NewGuid():N}.md");
        var program = Path.Combine(Repository.Root, "tests", "JusticeTracker.Performance", "bin", Repository.Configuration, "net10.0", "JusticeTracker.Performance.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in new[] { program, "--smoke", "--out", output, "--connection", AppFixture.ConnectionString })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The benchmark and the app it started: nothing may outlive the test.
                process.Kill(entireProcessTree: true);
                Assert.Fail("The benchmark did not finish within five minutes:\n" + await stderr);
            }

            Assert.True(process.ExitCode == 0, await stderr + await stdout);

            var lines = await File.ReadAllLinesAsync(output);
            foreach (var row in Rows)
            {
                var line = lines.FirstOrDefault(l => l.StartsWith("| " + row, StringComparison.Ordinal));
                Assert.True(line is not null, $"No row for \"{row}\" in:\n{string.Join('\n', lines)}");
                Assert.DoesNotContain("failed", line, StringComparison.OrdinalIgnoreCase);
                Assert.Matches(@"\| [^|]*\d[^|]*\|", line);
            }

            Assert.Contains(lines, l => l.StartsWith("| PostgreSQL |", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(output);
        }
    }
}

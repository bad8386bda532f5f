using JusticeTracker.Cases;
using JusticeTracker.Demo;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// The disclosure auditor on a data set built to be hard: countries with 1 to 30 cases, rare sexes
/// and age bands, cases recorded on the days just before today, and one award far larger than the
/// others. Disclosure control must leave nothing to find; and each weakness it closes, put back
/// through a test-only switch, must be found.
/// </summary>
public sealed class DisclosureAuditTests(AppFixture fixture, ITestOutputHelper output) : AppTest(fixture)
{
    /// <summary>How many cases each member country gets: from one to thirty.</summary>
    private static readonly Dictionary<string, int> PerCountry = new()
    {
        ["KE"] = 30,
        ["UG"] = 12,
        ["SN"] = 3,
        ["PH"] = 25,
        ["TH"] = 1,
        ["NP"] = 8,
        ["GT"] = 17,
        ["PE"] = 5,
    };

    private async Task SeedAsync()
    {
        var now = Fixture.Clock.GetUtcNow();
        var generator = new DemoCaseGenerator(14, Host.Services.GetRequiredService<PersonalDataCheck>(), now);
        var wanted = new Dictionary<string, int>(PerCountry);
        var chosen = new List<(Guid Id, object[] Events)>();
        foreach (var (id, events) in generator.Generate(1500))
        {
            var country = ((CaseOpened)events[0]).Profile.Country;
            if (wanted.GetValueOrDefault(country) > 0)
            {
                wanted[country]--;
                chosen.Add((id, events));
            }
        }

        Assert.All(wanted, w => Assert.Equal(0, w.Value));

        // One award a hundred times the others: its currency's total must not show it.
        var awarded = chosen.FindIndex(c => c.Events.OfType<CompensationAwarded>().Any());
        chosen[awarded] = (chosen[awarded].Id, [.. chosen[awarded].Events.Select(e => e is CompensationAwarded a ? a with { Amount = a.Amount with { Amount = 90_000_000m } } : e)]);

        // Twenty-five cases opened on the days before today, one a day.
        var recent = chosen.Where(c => ((CaseOpened)c.Events[0]).Profile.Country is "KE" or "PH" or "GT").Take(25).ToList();
        for (var i = 0; i < recent.Count; i++)
        {
            var day = now.AddDays(-1 - i);
            var index = chosen.IndexOf(recent[i]);
            chosen[index] = (recent[i].Id, [((CaseOpened)recent[i].Events[0]) with { RecordedAt = day }]);
        }

        var store = Host.Services.GetRequiredService<IDocumentStore>();
        foreach (var chunk in chosen.Chunk(20))
        {
            await using var session = store.LightweightSession();
            foreach (var (id, events) in chunk)
            {
                session.Events.StartStream<Case>(id, events);
            }

            await session.SaveChangesAsync();
        }

        await Fixture.CatchUpAsync();
    }

    private (Reports Reports, DisclosureAuditor Auditor) Control(Weakness weakness = Weakness.None)
    {
        var services = Host.Services;
        var reports = new Reports(
            services.GetRequiredService<StatisticsReader>(), services.GetRequiredService<Disclosure>().Weakened(weakness),
            services.GetRequiredService<ExchangeRates>(), services.GetRequiredService<TimeProvider>(), new StatisticsOptions { MaxAge = TimeSpan.Zero, FirstYear = 2017 });
        return (reports, new DisclosureAuditor(reports, services.GetRequiredService<StatisticsReader>(), services.GetRequiredService<IDocumentStore>()));
    }

    private void Print(DisclosureAudit audit)
    {
        output.WriteLine($"{audit.Lattices} lattices, {audit.Reports} reports, {audit.PublishedCells} cells, {audit.Relations} relations, {audit.Findings.Count} findings, {audit.Elapsed.TotalSeconds:0.0} s");
        foreach (var finding in audit.Findings.Take(20))
        {
            output.WriteLine($"  {finding}");
        }
    }

    [Fact]
    public async Task the_auditor_finds_nothing_on_the_hard_data_set_and_each_weakness_put_back_is_found()
    {
        await SeedAsync();
        var failures = new List<string>();

        var clean = await Control().Auditor.RunAsync(CancellationToken.None, newestDates: 2);
        Print(clean);
        Assert.True(clean.Lattices >= 21, "every form view, today and two month ends");
        Assert.True(clean.Reports > 50_000 && clean.Relations > 1_000_000, "the auditor checked the whole filter space");
        if (!clean.Clean)
        {
            failures.Add($"{clean.Findings.Count} findings with disclosure control as it is, first: {clean.Findings[0]}");
        }

        // Each class of the issue, put back: the auditor must report it.
        (Weakness Weakness, string Kind, int? Dates)[] bites =
        [
            (Weakness.SharesOfWithheld, "withheld count", 0),
            (Weakness.ReasonOracle, "withheld count", 0),
            (Weakness.RowPresence, "row missing", 0),
            (Weakness.NoCrossTableCheck, "1..k-1", 0),
            (Weakness.DurationsAndAmounts, "percentile", 0),
            (Weakness.DayByDayAsOf, "two permitted dates", 30),
        ];
        foreach (var (weakness, kind, dates) in bites)
        {
            var audit = await Control(weakness).Auditor.RunAsync(CancellationToken.None, dates, everyForm: false);
            output.WriteLine($"{weakness}:");
            Print(audit);
            if (!audit.Findings.Any(f => f.Kind.Contains(kind, StringComparison.Ordinal)))
            {
                failures.Add($"{weakness} put back, but no finding of the kind \"{kind}\"");
            }
        }

        // Erasure leaving a zero row behind (class 7), put back by hand.
        var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var command = dataSource.CreateCommand($"INSERT INTO jt.{StatisticsProjection.NowTable} (family, form, country, year, age, sex, measure, value) VALUES ('cases', '*', 'TH', 2026, 'Age0To5', 'Male', 'All', 0)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var rows = await Control().Auditor.RunAsync(CancellationToken.None, 0, everyForm: false);
        if (!rows.Findings.Any(f => f.Kind.Contains("zero", StringComparison.Ordinal)))
        {
            failures.Add("a zero row left in the statistics tables was not found");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task the_page_the_json_the_csv_and_the_svg_publish_the_same_figures_for_one_filter()
    {
        await SeedAsync();
        const string Query = "?place=014&sex=Female";
        var report = await Host.GetAs<Report>(TestUser.Analyst, $"/api/statistics{Query}");
        Assert.Null(report.Refusal);

        var page = await Host.Scenario(x => x.As(TestUser.Analyst).Get.Url($"/statistics{Query}"));
        var html = await page.ReadAsTextAsync();
        foreach (var table in report.Tables)
        {
            var csv = await (await Host.Scenario(x => x.As(TestUser.Analyst).Get.Url($"/api/statistics/{table.Id}.csv{Query}"))).ReadAsTextAsync();
            var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(table.Rows.Count + 1, lines.Length);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var fields = lines[r + 1].Split(',');
                var cells = fields[^table.Columns.Count..];
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = table.Rows[r].Cells[c];
                    Assert.Equal(cell.Value is { } v ? v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : "withheld", cells[c]);
                }
            }
        }

        // The page shows the same numbers (grouped for reading) and marks withheld figures alike.
        var overview = report.Table("overview")!;
        Assert.Contains($">{overview.Rows[0].Cells[0].Value:#,0}<", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">fewer than", html, StringComparison.Ordinal);

        // The chart draws the figures of its table.
        var svg = await (await Host.Scenario(x => x.As(TestUser.Analyst).Get.Url($"/api/statistics/countries.svg{Query}"))).ReadAsTextAsync();
        foreach (var row in report.Table("countries")!.Rows.Where(r => r.Cells[1].IsShown))
        {
            Assert.Contains($"{row.Cells[1].Value:0}", svg, StringComparison.Ordinal);
        }
    }
}

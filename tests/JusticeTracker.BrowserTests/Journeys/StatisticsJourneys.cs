using System.Diagnostics;
using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>An analyst at work: figures for the network, narrower filters, an export, and no case.</summary>
public sealed class StatisticsJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>The demo cases the browser tests' server seeds (AppServer).</summary>
    private const int DemoCases = 400;

    [Fact]
    public async Task An_analyst_filters_the_figures_exports_a_table_that_matches_the_page_and_cannot_open_a_case()
    {
        CaseRef someCase;
        await using (var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1"))
        {
            await lawyer.GoToAsync("/cases");
            someCase = await lawyer.FollowFirstCaseAsync();
        }

        await using var analyst = await Fixture.VisitAsync("demo-analyst");
        var page = analyst.Page;
        await page.Locator("main a[href='/statistics']").ClickAsync();
        await analyst.WaitForPathAsync("/statistics");
        await WaitForAllCasesAsync(analyst);
        await analyst.ShotAsync("network");
        await analyst.ShotAsync("network", Visit.NarrowWidth);

        // The country brief for the whole network, in French: a Word file named for the place and its date.
        await page.SelectOptionAsync("#culture", "fr");
        var brief = await page.RunAndWaitForDownloadAsync(() => page.Locator("section.brief button[type='submit']").ClickAsync());
        Assert.Matches("^justicetracker-brief-network-[0-9]{4}-[0-9]{2}-[0-9]{2}[.]docx$", brief.SuggestedFilename);
        Assert.Equal("PK"u8.ToArray(), (await File.ReadAllBytesAsync((await brief.PathAsync())!))[..2]);

        // The whole network: real figures in every table, barriers first.
        var barriers = page.Locator("section[aria-labelledby='barriers'] table tbody tr");
        await Expect(barriers).ToHaveCountAsync(20);
        Assert.Contains(await page.Locator("section[aria-labelledby='overview'] td.num").AllInnerTextsAsync(), t => t == "400");
        await Expect(page.Locator("figure.chart[data-chart='barriers'] svg[role='img'] title")).ToHaveTextAsync("Barriers by category: Cases");

        // East Africa, then a narrower group: fewer cases, and some figures withheld. The demo is
        // drawn relative to today, and disclosure control withholds a whole group on some days
        // (girls in a region, say): the first narrower group published today is the one read.
        await page.SelectOptionAsync("#place", "014");
        await page.Locator("form.filters button[type='submit']").ClickAsync();
        await analyst.WaitForPathAsync("/statistics\\?.*place=014.*");
        var eastAfrica = await CasesShownAsync(analyst);
        Assert.InRange(eastAfrica, 10, DemoCases - 1);
        var narrower = 0;
        foreach (var (select, value) in new[] { ("#sex", "Female"), ("#ageBand", "Age15To17"), ("#ageBand", "Age12To14"), ("#sex", "Male") })
        {
            await analyst.GoToAsync("/statistics?place=014");
            await page.SelectOptionAsync(select, value);
            await page.Locator("form.filters button[type='submit']").ClickAsync();
            await analyst.WaitForPathAsync($"/statistics\\?.*={value}.*");
            if (await page.Locator("main p[role='status']").CountAsync() > 0)
            {
                narrower = await CasesShownAsync(analyst);
                break;
            }

            // A group withheld whole says why, and shows no table.
            await Expect(page.Locator(".warning h2")).ToHaveTextAsync("These filters are too narrow");
            await Expect(page.Locator("section.report-table")).ToHaveCountAsync(0);
        }

        await analyst.ShotAsync("east-africa-narrower");
        Assert.InRange(narrower, 10, eastAfrica);
        Assert.NotEmpty(await page.Locator("td.withheld").AllInnerTextsAsync());

        // The barriers table as CSV: the same rows and figures as the page.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("section[aria-labelledby='barriers'] a[href*='/api/statistics/barriers.csv']").ClickAsync());
        var csv = (await File.ReadAllTextAsync((await download.PathAsync())!)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var rows = await barriers.AllAsync();
        Assert.Equal(rows.Count + 1, csv.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            var label = (await rows[i].Locator("th").InnerTextAsync()).Trim();
            var cells = (await rows[i].Locator("td").AllInnerTextsAsync()).Select(c => c.Replace(",", "", StringComparison.Ordinal).Trim());
            Assert.Equal(Csv(label, cells), csv[i + 1]);
        }

        // A narrow filter: an explanation instead of figures.
        await analyst.GoToAsync("/statistics?place=UG&sex=OtherOrUndisclosed&ageBand=Age0To5");
        await Expect(page.Locator(".warning h2")).ToHaveTextAsync("These filters are too narrow");
        await Expect(page.Locator("section.report-table")).ToHaveCountAsync(0);
        await analyst.ShotAsync("too-narrow");

        // No single case, however it is reached.
        await analyst.GoToAsync(someCase.Path, status: 403);
        Assert.DoesNotContain(someCase.Reference, await page.ContentAsync(), StringComparison.Ordinal);
        await analyst.ShotAsync("case-denied");
        await analyst.GoToAsync("/cases", status: 403);
        var api = await page.APIRequest.GetAsync($"/api/cases/{someCase.Id}");
        Assert.Equal(403, api.Status);
        Assert.DoesNotContain(someCase.Reference, await api.TextAsync(), StringComparison.Ordinal);
    }

    /// <summary>The CSV line a table row should give: the label quoted if it holds a comma, then the figures.</summary>
    private static string Csv(string label, IEnumerable<string> cells) =>
        string.Join(',', new[] { label.Contains(',', StringComparison.Ordinal) ? $"\"{label}\"" : label }.Concat(cells));

    private static async Task<int> CasesShownAsync(Visit visit)
    {
        var status = await visit.Page.Locator("main p[role='status']").InnerTextAsync();
        return int.Parse(new string([.. status.TakeWhile(c => char.IsDigit(c) || c == ',')]).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The async daemon projects the seeded cases in the background: reload until it has.</summary>
    private static async Task WaitForAllCasesAsync(Visit visit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await visit.Page.Locator("main p[role='status']").CountAsync() > 0 && await CasesShownAsync(visit) == DemoCases)
            {
                return;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "The statistics did not count the demo cases within 60 s.");
            await Task.Delay(500);
            await visit.GoToAsync("/statistics");
        }
    }
}

using JusticeTracker.Cases;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// An analyst who tries to single out a few children: narrow filters, differences between filters,
/// neighbours subtracted from totals, and two "as of" dates compared. Real cases, real
/// projection, the public API; k is 10.
/// </summary>
public sealed class DisclosureAttackTests(AppFixture fixture) : AppTest(fixture)
{
    private const int K = 10;

    private async Task OpenAsync(int count, string country, Sex sex, AgeBand age = AgeBand.Age12To14)
    {
        var user = country == "KE" ? TestUser.KenyanLawyer : TestUser.UgandanLawyer;
        for (var i = 0; i < count; i++)
        {
            await Host.OpenCaseAs(user, NewCase(country, user.Organisation) with { Sex = sex, AgeBand = age });
        }
    }

    private async Task<Report> ReportAsync(string query)
    {
        await Fixture.CatchUpAsync();
        return await Host.GetAs<Report>(TestUser.Analyst, $"/api/statistics{query}");
    }

    /// <summary>Kenya: 20 girls, 12 boys, 3 of another or undisclosed sex. Uganda: 15 girls.</summary>
    private async Task SmallGroupInKenyaAsync()
    {
        await OpenAsync(20, "KE", Sex.Female);
        await OpenAsync(12, "KE", Sex.Male);
        await OpenAsync(3, "KE", Sex.OtherOrUndisclosed);
        await OpenAsync(15, "UG", Sex.Female);
    }

    [Fact]
    public async Task a_report_kept_in_memory_is_computed_again_once_the_projection_has_moved()
    {
        await OpenAsync(12, "KE", Sex.Female);
        Assert.Equal(12, (await ReportAsync("")).Cases.Value);
        Assert.Equal(12, (await ReportAsync("")).Cases.Value);

        await OpenAsync(1, "KE", Sex.Female);
        Assert.Equal(13, (await ReportAsync("")).Cases.Value);
    }

    [Fact]
    public async Task a_filter_that_leaves_fewer_than_k_cases_is_refused_with_an_explanation_and_no_figure()
    {
        await OpenAsync(12, "KE", Sex.Female);
        await OpenAsync(4, "UG", Sex.Female);

        var report = await ReportAsync("?place=UG");

        Assert.Equal(Withheld.Suppressed, report.Refusal);
        Assert.Null(report.Cases.Value);
        Assert.Empty(report.Tables);
        await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics/overview.csv?place=UG");
            x.StatusCodeShouldBe(422);
        });
        var page = await Host.Scenario(x => x.As(TestUser.Analyst).Get.Url("/statistics?place=UG"));
        var html = await page.ReadAsTextAsync();
        Assert.Contains("These filters are too narrow", html, StringComparison.Ordinal);
        Assert.Contains("The number of cases that match these filters is withheld", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task no_two_populations_the_filters_can_give_differ_by_fewer_than_k_cases()
    {
        await SmallGroupInKenyaAsync();
        string?[] places = [null, "014", "KE", "UG"];
        string?[] sexes = [null, .. Enum.GetNames<Sex>()];
        var shown = new List<(string? Place, string? Sex, decimal Cases)>();
        foreach (var place in places)
        {
            foreach (var sex in sexes)
            {
                var query = string.Join('&', new[] { place is null ? null : $"place={place}", sex is null ? null : $"sex={sex}" }.OfType<string>());
                var report = await ReportAsync(query.Length > 0 ? $"?{query}" : "");
                if (report.Cases.Value is { } cases)
                {
                    shown.Add((place, sex, cases));
                }
            }
        }

        // The 3 children of another or undisclosed sex, and the 12 boys beside them, are never
        // shown, so "Kenya minus girls" is as far as anyone gets: 15, not 3.
        Assert.DoesNotContain(shown, s => s.Sex is "Male" or "OtherOrUndisclosed");
        Assert.Contains(shown, s => s is { Place: "KE", Sex: null, Cases: 35 });
        Assert.Contains(shown, s => s is { Place: "KE", Sex: "Female", Cases: 20 });
        // Nested filters are the ones whose difference is itself a group of children.
        static bool Within(string? narrow, string? wide) => wide is null || narrow == wide || (wide == "014" && narrow is "KE" or "UG");
        foreach (var a in shown)
        {
            foreach (var b in shown.Where(b => b != a && Within(b.Place, a.Place) && Within(b.Sex, a.Sex)))
            {
                var difference = a.Cases - b.Cases;
                Assert.True(difference == 0 || difference >= K, $"{a} and {b} differ by {difference}");
            }
        }
    }

    [Fact]
    public async Task a_withheld_cell_cannot_be_recovered_from_its_total_or_its_neighbours()
    {
        await SmallGroupInKenyaAsync();

        // The 3 in Kenya who met a barrier of fear are all of another or undisclosed sex.
        var report = await ReportAsync("?place=KE");
        var overview = report.Table("overview")!;
        Assert.Equal(35, overview.Rows.Single(r => r.Label == "All cases").Cells[0].Value);

        var byCountry = report.Table("countries")!;
        var kenya = byCountry.Rows.Single(r => r.Label == "Country.KE");
        var uganda = byCountry.Rows.Single(r => r.Label == "Country.UG");
        Assert.Equal(35, kenya.Cells[0].Value);
        Assert.Equal(15, uganda.Cells[0].Value);

        // The country comparison under "girls" shows Kenya's 20 and Uganda's 15; under "boys" it
        // withholds Kenya's 12 with the 3, exactly as Kenya's own page does.
        var boys = (await ReportAsync("?sex=Male")).Refusal;
        Assert.NotNull(boys);
        var girls = (await ReportAsync("?sex=Female")).Table("countries")!;
        Assert.Equal(20, girls.Rows.Single(r => r.Label == "Country.KE").Cells[0].Value);
    }

    [Fact]
    public async Task two_as_of_dates_cannot_be_compared_to_single_out_the_cases_recorded_between_them()
    {
        // Today is 28 November 2026. Kenya: 23 cases in August, 3 in September, 14 in October.
        var start = Fixture.Clock.Now;
        Fixture.Clock.Now = start.AddDays(-100);
        await OpenAsync(23, "KE", Sex.Female);
        Fixture.Clock.Now = start.AddDays(-70);
        await OpenAsync(3, "KE", Sex.Female);
        Fixture.Clock.Now = start.AddDays(-40);
        await OpenAsync(14, "KE", Sex.Female);
        Fixture.Clock.Now = start;

        // Only month ends may be asked for, so days cannot be stepped through.
        await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics?asOf=2026-10-30");
            x.StatusCodeShouldBe(400);
            x.ContentShouldContain("asOf");
        });

        var today = await ReportAsync("");
        var august = await ReportAsync("?asOf=2026-08-31");
        var september = await ReportAsync("?asOf=2026-09-30");
        var october = await ReportAsync("?asOf=2026-10-31");

        Assert.Equal(40, today.Cases.Value);
        Assert.Equal(40, october.Cases.Value);
        Assert.Equal(26, september.Cases.Value);

        // August's 23 is 3 short of September's 26: one of the two is withheld, and it is August.
        Assert.False(august.Cases.IsShown);

        // No amount of money appears in an "as of" report.
        Assert.All(september.Table("compensation")!.Rows, r => Assert.Null(r.Cells[1].Value));
    }

    [Fact]
    public async Task the_csv_export_holds_the_same_figures_as_the_api_and_withheld_ones_are_marked()
    {
        await SmallGroupInKenyaAsync();
        var report = await ReportAsync("?place=KE");
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics/overview.csv?place=KE");
            x.StatusCodeShouldBeOk();
        });
        var lines = (await result.ReadAsTextAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("Cases,Cases,Share of cases (%)", lines[0]);
        Assert.Equal(report.Table("overview")!.Rows.Count + 1, lines.Length);
        Assert.Equal("All cases,35,100", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("Open,35,100", StringComparison.Ordinal));
    }
}

using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// Waits as survival curves: what a case counts (reached, or censored at its last activity), the
/// published shares with their band worked out by hand, and the rule that a month is shown only
/// with at least k cases still waiting and k that reached the milestone.
/// </summary>
public sealed class SurvivalFiguresTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly Recorder Lawyer = new("lawyer", UserRole.MemberLawyer, "org-ke-1");

    private static CaseEntry At(CaseEntry details, string day) =>
        details with { Entry = new EntryInfo(Guid.NewGuid(), new FuzzyDate(DateOnly.Parse(day, CultureInfo.InvariantCulture), DatePrecision.Day), AppFixture.Start, Lawyer, null, null, null) };

    private static Dictionary<(string Family, string Measure), decimal> FiguresOf(params CaseEntry[] entries)
    {
        var opened = new CaseOpened(Guid.NewGuid(), "KE-2025-UNIT", NewCaseProfile, Lawyer, AppFixture.Start);
        return Facts.Figures(entries.Aggregate(Case.Open(opened), (c, e) => c.Record(e)));
    }

    private static readonly CaseProfile NewCaseProfile = new("KE", "org-ke-1", new FuzzyDate(new DateOnly(2024, 1, 1), DatePrecision.Year), AgeBand.Age12To14, Sex.Female, [ExploitationForm.Trafficking], YesNoUnknown.No, YesNoUnknown.No, YesNoUnknown.No, YesNoUnknown.No);

    [Fact]
    public void a_wait_that_ended_counts_as_reached_and_one_still_open_is_censored_at_the_last_activity()
    {
        // Reported in mid-January, the verdict 64 days later: 2 whole months.
        var reached = FiguresOf(At(new ReportedToAuthorities(ReportChannel.Police), "2025-01-15"), At(new VerdictDelivered(VerdictOutcome.Convicted), "2025-03-20"));
        Assert.Equal(1, reached[(Families.Survival, "n:ReportToVerdict:event:2")]);
        Assert.All(Facts.Horizons, h => Assert.Equal(1, reached[(Families.Survival, $"ReportToVerdict:Reached:{h}")]));
        Assert.DoesNotContain(reached.Keys, k => k.Measure.StartsWith("ReportToVerdict:Waiting:", StringComparison.Ordinal));

        // No verdict yet; charges 248 days after the report are the last activity: censored at 8 months.
        var waiting = FiguresOf(At(new ReportedToAuthorities(ReportChannel.Police), "2025-01-15"), At(new ChargesFiled(), "2025-09-20"));
        Assert.Equal(1, waiting[(Families.Survival, "n:ReportToVerdict:censored:8")]);
        Assert.Equal(1, waiting[(Families.Survival, "ReportToVerdict:Waiting:3")]);
        Assert.Equal(1, waiting[(Families.Survival, "ReportToVerdict:Waiting:6")]);
        Assert.False(waiting.ContainsKey((Families.Survival, "ReportToVerdict:Waiting:12")));
        Assert.DoesNotContain(waiting.Keys, k => k.Measure.StartsWith("ReportToVerdict:Reached:", StringComparison.Ordinal));

        // The charges end the other wait, eight months on.
        Assert.Equal(1, waiting[(Families.Survival, "n:ReportToCharges:event:8")]);

        // A wait never begun counts nothing.
        Assert.DoesNotContain(FiguresOf(At(new ChargesFiled(), "2025-09-20")).Keys, k => k.Family == Families.Survival && k.Measure.Contains("ReportTo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task the_published_curve_equals_the_estimate_worked_by_hand_and_a_month_with_fewer_than_k_waiting_is_withheld()
    {
        // 24 cases reported: 12 with a verdict two months later, 12 still waiting at eight months.
        for (var i = 0; i < 24; i++)
        {
            var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
            var version = (await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police), "2025-01-15"))).Version;
            await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, i < 12
                ? Entry(version, new VerdictDelivered(VerdictOutcome.Convicted), "2025-03-20")
                : Entry(version, new ChargesFiled(), "2025-09-20"));
        }

        await Fixture.CatchUpAsync();
        var table = (await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics")).Table("survival-ReportToVerdict")!;
        decimal?[] Row(string months) => [.. table.Rows.Single(r => r.Label == months).Cells.Select(c => c.Value)];

        // At two months 12 of 24 at risk reach it: S = 0.5. Greenwood: 12 / (24 × 12) = 1/24; on
        // log(−log S) its error is √(1/24) / ln 2 = 0.2945, so the band is 0.5^exp(±1.96 × 0.2945):
        // 0.291 to 0.678.
        Assert.Equal([50, 29, 68], Row("3"));
        Assert.Equal([50, 29, 68], Row("6"));

        // At twelve months no case is still waiting (the twelve were last seen at eight): withheld.
        Assert.All(table.Rows.Where(r => r.Label is "12" or "24" or "36").SelectMany(r => r.Cells), c => Assert.Equal(Withheld.Suppressed, c.Reason));

        var svg = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics/survival-ReportToVerdict.svg");
            x.StatusCodeShouldBeOk();
        });
        var chart = await svg.ReadAsTextAsync();
        Assert.Contains("<title id=\"chart-survival-ReportToVerdict-title\">Still waiting for a verdict, months after the report</title>", chart, StringComparison.Ordinal);
        Assert.Contains("3: 50", chart, StringComparison.Ordinal);

        // Side by side with a country that has no such case: Kenya's curve, and Peru too narrow to publish.
        var compared = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/statistics/waits?wait=ReportToVerdict&by=Country&groups=KE&groups=PE");
            x.StatusCodeShouldBeOk();
        });
        var html = await compared.ReadAsTextAsync();
        Assert.Matches(@"<th scope=""row"">Kenya</th>\s*<td[^>]*>\s*<span>50</span> <span class=""help"">\(29–68\)</span>", html);
        Assert.Matches(@"<th scope=""row"">Peru</th>\s*<td colspan=""5"" class=""withheld"">These filters are too narrow</td>", html);
        Assert.Contains("data-chart=\"waits\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task with_fewer_than_k_cases_reaching_the_milestone_no_month_is_shown()
    {
        // 20 waiting past a year, 9 reached within two months: k = 10 have not reached it by any month.
        for (var i = 0; i < 29; i++)
        {
            var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
            var version = (await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police), "2024-04-15"))).Version;
            await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, i < 9
                ? Entry(version, new VerdictDelivered(VerdictOutcome.Acquitted), "2024-06-20")
                : Entry(version, new ChargesFiled(), "2025-09-20"));
        }

        await Fixture.CatchUpAsync();
        var table = (await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics")).Table("survival-ReportToVerdict")!;
        Assert.All(table.Rows.SelectMany(r => r.Cells), c => Assert.Null(c.Value));
    }
}

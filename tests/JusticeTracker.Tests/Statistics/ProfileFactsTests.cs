using JusticeTracker.Cases;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>The four profile facts as a breakdown and as a filter, both through disclosure control.</summary>
public sealed class ProfileFactsTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task OpenAsync(int cases, YesNoUnknown online)
    {
        for (var i = 0; i < cases; i++)
        {
            await Host.OpenCaseAs(TestUser.KenyanLawyer, NewCase() with { OnlineFacilitated = online });
        }
    }

    [Fact]
    public async Task each_fact_is_broken_down_into_yes_no_and_unknown_and_can_narrow_the_figures()
    {
        await OpenAsync(12, YesNoUnknown.Yes);
        await OpenAsync(10, YesNoUnknown.No);
        await Fixture.CatchUpAsync();

        var report = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics");
        var online = report.Table("profile")!.Rows.Single(r => r.Label == "ProfileFact.OnlineFacilitated");
        Assert.Equal(12, online.Cells[0].Value);
        Assert.Equal(10, online.Cells[1].Value);
        Assert.Equal(Withheld.Suppressed, online.Cells[2].Reason);
        Assert.Equal(55, online.Cells[3].Value);

        // Every test case is opened with "cross-border: no": all 22.
        Assert.Equal(22, report.Table("profile")!.Rows.Single(r => r.Label == "ProfileFact.CrossBorder").Cells[1].Value);

        var narrowed = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics?fact=OnlineFacilitated");
        Assert.Equal(12, narrowed.Cases.Value);
        Assert.Equal(12, OnlineFacilitated(narrowed));

        // A fact's figures keep no waits: its report has no survival table rather than an empty one.
        Assert.Contains(report.Tables, t => t.Id.StartsWith("survival-", StringComparison.Ordinal));
        Assert.DoesNotContain(narrowed.Tables, t => t.Id.StartsWith("survival-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/statistics?fact=Disability&year=2025&count=Happened", "Counting what happened in a year is not offered for a fact of the profile: remove the fact.")]
    [InlineData("/statistics/waits?fact=Disability&by=Country", "Waits are not compared for a fact of the profile: remove the fact.")]
    public async Task what_a_fact_does_not_keep_is_refused_with_a_reason(string url, string message)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url(url);
            x.StatusCodeShouldBe(url.StartsWith("/api/", StringComparison.Ordinal) ? 400 : 200);
        });
        Assert.Contains(System.Net.WebUtility.HtmlEncode(message), await result.ReadAsTextAsync(), StringComparison.Ordinal);
    }

    private static decimal? OnlineFacilitated(Report report) =>
        report.Table("profile")!.Rows.Single(r => r.Label == "ProfileFact.OnlineFacilitated").Cells[0].Value;

    [Fact]
    public async Task a_fact_that_leaves_out_fewer_than_k_cases_is_not_shown_both_narrowed_and_whole()
    {
        // Twelve online and one not: the whole network's 13 and the online cases' 12 would give the one away.
        await OpenAsync(12, YesNoUnknown.Yes);
        await OpenAsync(1, YesNoUnknown.No);
        await Fixture.CatchUpAsync();

        var whole = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics");
        var narrowed = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics?fact=OnlineFacilitated");
            x.StatusCodeShouldBeOk();
        });
        var online = (await narrowed.ReadAsJsonAsync<Report>())!;
        Assert.False(whole.Cases.IsShown && online.Cases.IsShown, "the difference between all cases and the online ones would be one case");

        // Within the whole network's report, the breakdown hides the one too.
        if (whole.Table("profile") is { } profile)
        {
            var row = profile.Rows.Single(r => r.Label == "ProfileFact.OnlineFacilitated");
            Assert.False(row.Cells[0].IsShown && whole.Cases.IsShown, "12 online of 13 shown gives the one away");
        }
    }

    [Fact]
    public async Task a_form_and_a_fact_together_are_refused_with_a_reason()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/statistics?fact=Disability&form=Trafficking");
            x.StatusCodeShouldBe(400);
        });
        Assert.Contains("Choose a form of exploitation or a fact of the profile, not both.", await result.ReadAsTextAsync(), StringComparison.Ordinal);
    }
}

using JusticeTracker.Cases;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Pages;

public sealed class CasePagesTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<BrowserSession> SignedIn(string demoUser)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs(demoUser);
        return browser;
    }

    private static async Task<string> Html(BrowserSession browser, string url, int status = 200) => await (await browser.Get(url, status)).ReadAsTextAsync();

    [Fact]
    public async Task the_case_list_shows_a_member_lawyer_only_their_organisations_cases_and_a_legal_expert_all()
    {
        var kenyan = await Host.OpenCaseAs(new TestUser("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1"));
        var peruvian = await Host.OpenCaseAs(new TestUser("demo-lawyer-pe-1", [UserRole.MemberLawyer], "org-pe-1"), NewCase("PE", "org-pe-1"));

        var lawyer = await Html(await SignedIn("demo-lawyer-ke-1"), "/cases");
        var expert = await Html(await SignedIn("demo-legal-expert"), "/cases");

        Assert.Contains(kenyan.Reference, lawyer, StringComparison.Ordinal);
        Assert.DoesNotContain(peruvian.Reference, lawyer, StringComparison.Ordinal);
        Assert.Contains(kenyan.Reference, expert, StringComparison.Ordinal);
        Assert.Contains(peruvian.Reference, expert, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_case_list_filters_by_reference_stage_status_open_barriers_and_quiet_days()
    {
        var lawyer = new TestUser("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");
        var charged = await Host.OpenCaseAs(lawyer);
        await Host.RecordAllAs(lawyer, charged.CaseId, 1, new ReportedToAuthorities(ReportChannel.Police), new ChargesFiled(),
            new BarrierRecorded(Track.CriminalJustice, Stage.ChargesFiled, BarrierCategory.Delay, BarrierSeverity.Delayed));
        var quiet = await Host.OpenCaseAs(lawyer);
        var browser = await SignedIn("demo-lawyer-ke-1");

        var byStage = await Html(browser, "/cases?stage=ChargesFiled");
        Assert.Contains(charged.Reference, byStage, StringComparison.Ordinal);
        Assert.DoesNotContain(quiet.Reference, byStage, StringComparison.Ordinal);

        var withBarriers = await Html(browser, "/cases?openBarriers=true");
        Assert.Contains(charged.Reference, withBarriers, StringComparison.Ordinal);
        Assert.DoesNotContain(quiet.Reference, withBarriers, StringComparison.Ordinal);

        var byReference = await Html(browser, $"/cases?reference={quiet.Reference.ToLowerInvariant()}");
        Assert.Contains(quiet.Reference, byReference, StringComparison.Ordinal);
        Assert.DoesNotContain(charged.Reference, byReference, StringComparison.Ordinal);

        Assert.Contains("No case matches these filters.", await Html(browser, "/cases?status=Closed"), StringComparison.Ordinal);
        Assert.Contains("No case matches these filters.", await Html(browser, "/cases?quietDays=30"), StringComparison.Ordinal);
        Fixture.Clock.Now += TimeSpan.FromDays(31);
        try
        {
            // A month later the earlier session has long expired: sign in again.
            var afterAMonth = await Html(await SignedIn("demo-lawyer-ke-1"), "/cases?quietDays=30");
            Assert.Contains(quiet.Reference, afterAMonth, StringComparison.Ordinal);
        }
        finally
        {
            Fixture.Clock.Now -= TimeSpan.FromDays(31);
        }
    }

    [Fact]
    public async Task the_case_list_pages_and_sorts_without_losing_its_filters()
    {
        var lawyer = new TestUser("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");
        for (var i = 0; i < 27; i++)
        {
            await Host.OpenCaseAs(lawyer);
        }

        var html = await Html(await SignedIn("demo-lawyer-ke-1"), "/cases?status=Open&sort=reference&descending=False");

        Assert.Contains("27 cases match.", html, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/cases?status=Open&amp;sort=reference&amp;descending=False&amp;pageNumber=2\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-sort=\"ascending\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_case_page_shows_the_tracks_corrections_struck_through_barriers_and_rights()
    {
        var lawyer = new TestUser("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");
        var opened = await Host.OpenCaseAs(lawyer);
        var verdict = Entry(1, new VerdictDelivered(VerdictOutcome.Acquitted), date: "2025-06-10");
        await Host.RecordAs(lawyer, opened.CaseId, verdict);
        await Host.RecordAs(lawyer, opened.CaseId, Entry(2, new VerdictDelivered(VerdictOutcome.Convicted), date: "2025-06-10") with { Corrects = verdict.CommandId, CorrectionReason = "Judgment text says convicted." });
        await Host.RecordAllAs(lawyer, opened.CaseId, 3,
            new BarrierRecorded(Track.Compensation, null, BarrierCategory.NoCompensationScheme, BarrierSeverity.Blocked),
            new RightAssessed(ChildRight.Privacy, RightRespect.NotRespected));

        var html = await Html(await SignedIn("demo-lawyer-ke-1"), $"/cases/{opened.CaseId}");

        Assert.Contains($"Case {opened.Reference}", html, StringComparison.Ordinal);
        Assert.Contains("Verdict: Acquitted</del>", html, StringComparison.Ordinal);
        Assert.Contains("Corrected by a later entry", html, StringComparison.Ordinal);
        Assert.Contains("Verdict: Convicted", html, StringComparison.Ordinal);
        Assert.Contains("Judgment text says convicted.", html, StringComparison.Ordinal);
        Assert.Contains("Barrier: No compensation fund, or not eligible (Blocked the track)", html, StringComparison.Ordinal);
        Assert.Contains("Not respected", html, StringComparison.Ordinal);
        Assert.Contains("Recorded by lawyer", html.Replace("demo-lawyer", "lawyer", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_case_page_shows_the_latest_entries_of_each_list_and_every_entry_on_request()
    {
        var lawyer = new TestUser("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");
        var opened = await Host.OpenCaseAs(lawyer);
        var version = opened.Version;
        var steps = new List<Guid>();
        foreach (var step in "ABCDEFG")
        {
            var command = Entry(version, new RightAssessed(ChildRight.Privacy, RightRespect.Respected), note: $"Step {step} done");
            steps.Add(command.CommandId);
            version = (await Host.RecordAs(lawyer, opened.CaseId, command)).Version;
        }

        version = (await Host.RecordAs(lawyer, opened.CaseId, Entry(version, new ReportedToAuthorities(ReportChannel.Police), note: "Reported in person"))).Version;

        // Recorded last but happened first: the latest are those that happened last.
        version = (await Host.RecordAs(lawyer, opened.CaseId, Entry(version, new RightAssessed(ChildRight.BeingHeard, RightRespect.Respected), date: "2025-01-14", note: "Heard early"))).Version;

        // A correction of an entry the page hides still names it.
        await Host.RecordAs(lawyer, opened.CaseId, Entry(version, new RightAssessed(ChildRight.Privacy, RightRespect.NotRespected), note: "Step B again") with { Corrects = steps[1], CorrectionReason = "Misread the file." });
        var browser = await SignedIn("demo-lawyer-ke-1");

        var latest = await Html(browser, $"/cases/{opened.CaseId}");
        Assert.DoesNotContain("Step A done", latest, StringComparison.Ordinal);
        Assert.DoesNotContain("Step B done", latest, StringComparison.Ordinal);
        Assert.DoesNotContain("Step C done", latest, StringComparison.Ordinal);
        Assert.DoesNotContain("Heard early", latest, StringComparison.Ordinal);
        Assert.Contains("Step D done", latest, StringComparison.Ordinal);
        Assert.Contains("Step G done", latest, StringComparison.Ordinal);
        Assert.Contains("Step B again", latest, StringComparison.Ordinal);
        Assert.Contains("Corrects an earlier entry: ", latest, StringComparison.Ordinal);
        Assert.Contains("Reported in person", latest, StringComparison.Ordinal);
        Assert.Contains("Showing the latest 5 of 9 entries.", latest, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/cases/{opened.CaseId}?all=true#other\">Show all 9 entries</a>", latest, StringComparison.Ordinal);

        // A track with fewer entries than the page shows offers no link of its own.
        Assert.DoesNotContain("?all=true#track-", latest, StringComparison.Ordinal);

        var all = await Html(browser, $"/cases/{opened.CaseId}?all=true");
        Assert.Contains("Step A done", all, StringComparison.Ordinal);
        Assert.Contains("Heard early", all, StringComparison.Ordinal);
        Assert.Contains("Step G done", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Show all", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("Step A done", StringComparison.Ordinal) < all.IndexOf("Step G done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task another_organisations_case_page_is_not_found_and_analysts_are_turned_away()
    {
        var opened = await Host.OpenCaseAs(new TestUser("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1"));

        var html = await Html(await SignedIn("demo-lawyer-ug-1"), $"/cases/{opened.CaseId}", status: 404);
        Assert.DoesNotContain(opened.Reference, html, StringComparison.Ordinal);

        await (await SignedIn("demo-analyst")).Get($"/cases/{opened.CaseId}", status: 302);
        await (await SignedIn("demo-admin")).Get("/cases", status: 302);
    }

    [Fact]
    public async Task pages_follow_the_browsers_language_until_the_person_picks_another()
    {
        var browser = await SignedIn("demo-legal-expert");

        var french = await Host.Scenario(x =>
        {
            x.Get.Url("/cases");
            x.WithRequestHeader("Cookie", browser.CookieHeader);
            x.WithRequestHeader("Accept-Language", "fr-FR,fr;q=0.9");
        });
        Assert.Contains("<h1>Dossiers</h1>", await french.ReadAsTextAsync(), StringComparison.Ordinal);

        await browser.PostForm("/language", new() { ["culture"] = "es", ["returnUrl"] = "/cases" }, formPage: "/cases");
        var spanish = await Html(browser, "/cases");
        Assert.Contains("<h1>Casos</h1>", spanish, StringComparison.Ordinal);
        Assert.Contains("lang=\"es\"", spanish, StringComparison.Ordinal);
    }
}

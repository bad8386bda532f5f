using System.Net;
using System.Text.RegularExpressions;
using JusticeTracker.Cases;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Pages;

/// <summary>A doubtful note on the record form and the case page, and the legal experts' queue, as people use them.</summary>
public sealed partial class ReviewPagesTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>The personal-data check's contract guarantees this one is possibly personal (a name), not certainly.</summary>
    private const string Doubtful = "Hearing postponed because Zorvathi did not attend.";

    private static readonly TestUser Lawyer = new("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");

    private async Task<BrowserSession> SignedIn(string demoUser)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs(demoUser);
        return browser;
    }

    private static async Task<string> Html(BrowserSession browser, string url, int status = 200) => await (await browser.Get(url, status)).ReadAsTextAsync();

    private async Task<(Guid CaseId, string Reference)> CaseWithDoubtfulNoteAsync()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        await Host.RecordAs(Lawyer, opened.CaseId, Entry(opened.Version, new TrialOpened(), note: Doubtful));
        return (opened.CaseId, opened.Reference);
    }

    /// <summary>The queue's form for the first text on the page, with the decision.</summary>
    private static Dictionary<string, string> DecisionForm(string queue, string decision)
    {
        var form = Hidden().Matches(queue).Where(m => m.Groups[1].Value != "__RequestVerificationToken").ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["decision"] = decision;
        return form;
    }

    [Fact]
    public async Task a_doubtful_note_recorded_with_the_form_is_confirmed_as_held_and_marked_in_words_on_the_case_page()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = await SignedIn("demo-lawyer-ke-1");
        var page = $"/cases/{opened.CaseId}/record";
        var html = await Html(browser, page + "?kind=TrialOpened");
        var form = Hidden().Matches(html).Where(m => m.Groups[1].Value != "__RequestVerificationToken").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        form["Form.Occurred"] = "2025-09-03";
        form["Form.Precision"] = "Day";
        form["Form.Note"] = Doubtful;

        await browser.PostForm(page, form, formPage: page + "?kind=TrialOpened");

        var casePage = await Html(browser, $"/cases/{opened.CaseId}");
        Assert.Contains("Entry recorded. A legal expert will review its text", casePage, StringComparison.Ordinal);
        Assert.Contains(Doubtful, casePage, StringComparison.Ordinal);
        Assert.Contains("Awaiting review: it may contain personal data", casePage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_legal_expert_removes_a_text_from_the_queue_and_the_case_page_says_so_in_the_readers_language()
    {
        var (caseId, reference) = await CaseWithDoubtfulNoteAsync();
        var expert = await SignedIn("demo-legal-expert");

        var queue = await Html(expert, "/reviews");
        Assert.Contains(reference, queue, StringComparison.Ordinal);
        Assert.Contains(Doubtful, queue, StringComparison.Ordinal);
        Assert.Contains("a person&#x27;s name", queue, StringComparison.Ordinal);
        Assert.Contains("Notes waiting for review: 1.", queue, StringComparison.Ordinal);
        Assert.Matches("href=\"/reviews\">Notes to review\\s*<span class=\"badge\">1<", queue);
        Assert.Matches("href=\"/reviews\">Notes to review\\s*<span class=\"badge\">1<", await Html(expert, $"/cases/{caseId}"));

        var result = await expert.PostForm("/reviews?handler=Decide", DecisionForm(queue, "Redact"), formPage: "/reviews");

        Assert.Equal("/reviews", result.Context.Response.Headers.Location.ToString());
        var after = await Html(expert, "/reviews");
        Assert.Contains("The text was removed from the tracker.", after, StringComparison.Ordinal);
        Assert.Contains("No note is waiting for review.", after, StringComparison.Ordinal);

        var lawyer = await SignedIn("demo-lawyer-ke-1");
        var casePage = await Html(lawyer, $"/cases/{caseId}");
        Assert.Contains("Removed by a legal expert", casePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Zorvathi", casePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Awaiting review", casePage, StringComparison.Ordinal);
        var french = await Host.Scenario(x =>
        {
            x.Get.Url($"/cases/{caseId}");
            x.WithRequestHeader("Cookie", lawyer.CookieHeader);
            x.WithRequestHeader("Accept-Language", "fr-FR,fr;q=0.9");
        });
        Assert.Contains("Supprimé par un expert juridique", WebUtility.HtmlDecode(await french.ReadAsTextAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task accepting_from_the_queue_keeps_the_text_and_takes_the_mark_off_the_case_page()
    {
        var (caseId, _) = await CaseWithDoubtfulNoteAsync();
        var expert = await SignedIn("demo-legal-expert");

        await expert.PostForm("/reviews?handler=Decide", DecisionForm(await Html(expert, "/reviews"), "Accept"), formPage: "/reviews");

        Assert.Contains("The text was accepted. It stays on the case as written.", await Html(expert, "/reviews"), StringComparison.Ordinal);
        var casePage = await Html(expert, $"/cases/{caseId}");
        Assert.Contains(Doubtful, casePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Awaiting review", casePage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_form_sent_twice_removes_the_text_once_and_says_so_the_second_time()
    {
        await CaseWithDoubtfulNoteAsync();
        var expert = await SignedIn("demo-legal-expert");
        var form = DecisionForm(await Html(expert, "/reviews"), "Redact");

        await expert.PostForm("/reviews?handler=Decide", new(form), formPage: "/reviews");
        await expert.PostForm("/reviews?handler=Decide", new(form), formPage: "/reviews");

        Assert.Contains("This text was already reviewed. Nothing was changed.", await Html(expert, "/reviews"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task member_lawyers_and_analysts_are_turned_away_from_the_queue_and_its_form()
    {
        var (caseId, _) = await CaseWithDoubtfulNoteAsync();
        var expertQueue = await Html(await SignedIn("demo-legal-expert"), "/reviews");

        foreach (var user in new[] { "demo-lawyer-ke-1", "demo-analyst", "demo-admin" })
        {
            var browser = await SignedIn(user);
            var refused = await browser.Get("/reviews", status: 302);
            Assert.StartsWith("/access-denied", refused.Context.Response.Headers.Location.ToString().Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
            await browser.PostForm("/reviews?handler=Decide", DecisionForm(expertQueue, "Redact"), status: 302, formPage: "/");
            Assert.DoesNotContain("Notes to review", await Html(browser, "/"), StringComparison.Ordinal);
        }

        Assert.Equal(Doubtful, (await Host.GetAs<JusticeTracker.Cases.Reading.CaseTimeline>(Lawyer, $"/api/cases/{caseId}/timeline")).Entries.Single().Note);
    }

    [Fact]
    public async Task the_queue_shows_the_oldest_first_fifty_to_a_page()
    {
        var first = await CaseWithDoubtfulNoteAsync();
        Fixture.Clock.Now = AppFixture.Start.AddMinutes(1);
        for (var i = 0; i < 50; i++)
        {
            await CaseWithDoubtfulNoteAsync();
        }

        var expert = await SignedIn("demo-legal-expert");
        var pageOne = await Html(expert, "/reviews");
        var pageTwo = await Html(expert, "/reviews?pageNumber=2");

        Assert.Contains("Notes waiting for review: 51.", pageOne, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", pageOne, StringComparison.Ordinal);
        Assert.Contains(first.Reference, pageOne, StringComparison.Ordinal);
        Assert.Contains("href=\"/reviews?pageNumber=2\"", pageOne, StringComparison.Ordinal);
        Assert.Equal(50, Hidden().Matches(pageOne).Count(m => m.Groups[1].Value == "reviewId"));
        Assert.Equal(1, Hidden().Matches(pageTwo).Count(m => m.Groups[1].Value == "reviewId"));
        Assert.DoesNotContain(first.Reference, pageTwo, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex Hidden();
}

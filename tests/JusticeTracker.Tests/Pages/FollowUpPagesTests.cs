using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.FollowUps;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Pages;

/// <summary>"My follow-ups", the badge, and acting on a follow-up from the case page, as a lawyer in a browser would.</summary>
public sealed class FollowUpPagesTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly TestUser KenyanDemoLawyer = new("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");

    private async Task<BrowserSession> SignedIn(string demoUser)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs(demoUser);
        return browser;
    }

    /// <summary>A Kenyan case whose criminal track has had no news for 110 days, with its follow-up raised and overdue.</summary>
    private async Task<(CaseOpenedResponse Case, FollowUp FollowUp)> QuietCaseAsync()
    {
        var opened = await Host.OpenCaseAs(KenyanDemoLawyer);
        await Host.RecordAs(KenyanDemoLawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police), "2026-11-28"));
        Fixture.Clock.Now = AppFixture.Start.AddDays(110);
        using (var scope = Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new FollowUpCheck(opened.CaseId));
        }

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (opened, (await session.LoadAsync<Case>(opened.CaseId))!.FollowUps.Single());
    }

    [Fact]
    public async Task a_lawyer_sees_the_follow_up_in_the_list_and_the_badge_and_another_organisation_does_not()
    {
        var (opened, _) = await QuietCaseAsync();

        var mine = await (await (await SignedIn("demo-lawyer-ke-1")).Get("/follow-ups")).ReadAsTextAsync();
        var theirs = await (await (await SignedIn("demo-lawyer-ug-1")).Get("/follow-ups")).ReadAsTextAsync();

        Assert.Contains(opened.Reference, mine, StringComparison.Ordinal);
        Assert.Contains("No news on the track", mine, StringComparison.Ordinal);
        Assert.Contains("1 follow-ups waiting, 1 of them overdue.", mine, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge\">1<span class=\"visually-hidden\"> waiting</span></span>", mine, StringComparison.Ordinal);
        Assert.DoesNotContain(opened.Reference, theirs, StringComparison.Ordinal);
        Assert.Contains("Nothing is waiting for you.", theirs, StringComparison.Ordinal);

        // The case page asks for the badge's count in its own round trip, with the same rule.
        var casePage = await (await (await SignedIn("demo-lawyer-ke-1")).Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains("<span class=\"badge\">1<span class=\"visually-hidden\"> waiting</span></span>", casePage, StringComparison.Ordinal);
        var theirCase = await (await (await SignedIn("demo-lawyer-ug-1")).Get("/cases")).ReadAsTextAsync();
        Assert.DoesNotContain("<span class=\"badge\">", theirCase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_snooze_without_a_reason_is_refused_beside_the_field_and_a_resolution_is_confirmed_on_the_case()
    {
        var (opened, followUp) = await QuietCaseAsync();
        var browser = await SignedIn("demo-lawyer-ke-1");
        var casePage = $"/cases/{opened.CaseId}";
        var until = DateOnly.FromDateTime(AppFixture.Start.AddDays(120).UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var refused = await browser.PostForm($"{casePage}?handler=FollowUp", new() { ["followUpId"] = followUp.Id.ToString(), ["act"] = "Snooze", ["until"] = until, ["note"] = "" }, status: 200, formPage: casePage);
        var html = await refused.ReadAsTextAsync();
        Assert.Contains("Say why it can wait.", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"reason-{followUp.Id:N}-problem\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{until}\"", html, StringComparison.Ordinal);

        await browser.PostForm($"{casePage}?handler=FollowUp", new() { ["followUpId"] = followUp.Id.ToString(), ["act"] = "Resolve", ["note"] = "The prosecutor replied" }, formPage: casePage);
        var after = await (await browser.Get(casePage)).ReadAsTextAsync();
        Assert.Contains("The follow-up is resolved.", after, StringComparison.Ordinal);
        Assert.Contains("No follow-up is waiting.", after, StringComparison.Ordinal);
        Assert.Contains("Resolved by demo-lawyer-ke-1", after, StringComparison.Ordinal);

        // Another organisation's lawyer, by the case's URL: not found.
        await (await SignedIn("demo-lawyer-ug-1")).PostForm($"{casePage}?handler=FollowUp", new() { ["followUpId"] = followUp.Id.ToString(), ["act"] = "Acknowledge" }, status: 404, formPage: "/follow-ups");
    }
}

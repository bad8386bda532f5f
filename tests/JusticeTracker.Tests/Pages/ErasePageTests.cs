using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Pages;

/// <summary>A legal expert erases a case from its page, with a reason and a confirmation; nobody else can.</summary>
public sealed class ErasePageTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<bool> Exists(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamStateAsync(caseId)) is not null;
    }

    private static Dictionary<string, string> Confirmed(long version) => new()
    {
        ["Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Reason"] = "ConsentWithdrawn",
        ["Confirmed"] = "true",
    };

    [Fact]
    public async Task a_legal_expert_erases_a_case_from_its_page_and_lands_on_the_list_with_a_confirmation()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var expert = new BrowserSession(Host);
        await expert.SignInAs("demo-legal-expert");

        var casePage = await (await expert.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
        Assert.Contains($"href=\"/cases/{opened.CaseId}/erase\"", casePage, StringComparison.Ordinal);
        var form = await (await expert.Get($"/cases/{opened.CaseId}/erase")).ReadAsTextAsync();
        Assert.Contains("It cannot be undone.", form, StringComparison.Ordinal);

        var result = await expert.PostForm($"/cases/{opened.CaseId}/erase", Confirmed(opened.Version));

        Assert.Equal("/cases", result.Context.Response.Headers.Location.ToString());
        var list = await (await expert.Get("/cases")).ReadAsTextAsync();
        Assert.Contains($"Case {opened.Reference} erased.", list, StringComparison.Ordinal);
        Assert.False(await Exists(opened.CaseId));
        await expert.Get($"/cases/{opened.CaseId}", status: 404);
    }

    [Fact]
    public async Task without_a_reason_and_the_confirmation_nothing_is_erased_and_the_page_says_what_is_missing()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var expert = new BrowserSession(Host);
        await expert.SignInAs("demo-legal-expert");

        var result = await expert.PostForm($"/cases/{opened.CaseId}/erase", new() { ["Version"] = "1" }, status: 200);

        var page = await result.ReadAsTextAsync();
        Assert.Contains("Choose why the case is erased.", page, StringComparison.Ordinal);
        Assert.Contains("Tick the box to confirm", page, StringComparison.Ordinal);
        Assert.True(await Exists(opened.CaseId));
    }

    [Fact]
    public async Task a_case_changed_since_the_page_was_opened_is_not_erased_and_the_expert_is_told()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var expert = new BrowserSession(Host);
        await expert.SignInAs("demo-legal-expert");
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new JusticeTracker.Cases.InvestigationOpened()));

        var result = await expert.PostForm($"/cases/{opened.CaseId}/erase", Confirmed(opened.Version), status: 200);

        Assert.Contains("Nothing was erased.", await result.ReadAsTextAsync(), StringComparison.Ordinal);
        Assert.True(await Exists(opened.CaseId));
    }

    [Theory]
    [InlineData("demo-lawyer-ke-1")]
    [InlineData("demo-analyst")]
    [InlineData("demo-admin")]
    public async Task nobody_but_a_legal_expert_sees_the_link_or_can_use_the_page(string user)
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var browser = new BrowserSession(Host);
        await browser.SignInAs(user);

        if (user == "demo-lawyer-ke-1")
        {
            var casePage = await (await browser.Get($"/cases/{opened.CaseId}")).ReadAsTextAsync();
            Assert.DoesNotContain("/erase\"", casePage, StringComparison.Ordinal);
        }

        var page = await browser.Get($"/cases/{opened.CaseId}/erase", status: 302);
        Assert.Contains("/access-denied", page.Context.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        await browser.PostForm($"/cases/{opened.CaseId}/erase", Confirmed(opened.Version), status: 302, withToken: false);
        Assert.True(await Exists(opened.CaseId));
    }
}

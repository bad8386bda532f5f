using JusticeTracker.Cases.Reading;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Access;

/// <summary>
/// Each node holds the directory in memory (ADR 19). A change an administrator makes on one node
/// holds on the other from the person's very next request there: the shared host is node A, and
/// a second host on the same database is node B, where the members work.
/// </summary>
public sealed class MembershipOnTwoNodesTests(AppFixture fixture) : AppTest(fixture)
{
    [Fact]
    public async Task a_member_removed_on_one_node_is_refused_their_case_on_their_next_request_to_the_other()
    {
        await using var nodeB = await StartNodeB();
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        // Signed in on node B with the cookie, and at work there: node B now holds the directory.
        var lawyer = new BrowserSession(nodeB);
        await lawyer.SignInAs("demo-lawyer-ke-1");
        await lawyer.Get($"/cases/{opened.CaseId}");

        await (await Administrator()).PostForm("/admin/members?handler=Remove", new() { ["objectId"] = "demo-lawyer-ke-1" }, formPage: "/admin/members");

        await lawyer.Get($"/cases/{opened.CaseId}", status: 404);
        Assert.DoesNotContain(opened.Reference, await (await lawyer.Get("/cases")).ReadAsTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_member_moved_on_one_node_sees_only_the_new_organisations_cases_on_the_other_from_their_next_request()
    {
        await using var nodeB = await StartNodeB();
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var coast = await Host.OpenCaseAs(TestUser.OtherKenyanLawyer);
        Assert.Equal([kenyan.CaseId], (await nodeB.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases")).Items.Select(i => i.Id));

        await (await Administrator()).PostForm(
            "/admin/members?handler=Move", new() { ["objectId"] = TestUser.KenyanLawyer.Id, ["toOrganisationId"] = "org-ke-2" }, formPage: "/admin/members");

        Assert.Equal([coast.CaseId], (await nodeB.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases")).Items.Select(i => i.Id));
        await nodeB.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{kenyan.CaseId}");
            x.StatusCodeShouldBe(404);
        });
        await nodeB.SummaryAs(TestUser.KenyanLawyer, coast.CaseId);
    }

    [Fact]
    public async Task an_organisation_deactivated_on_one_node_cuts_its_members_off_on_the_other_at_their_next_request()
    {
        await using var nodeB = await StartNodeB();
        var ugandan = await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", "org-ug-1"));
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await nodeB.SummaryAs(TestUser.UgandanLawyer, ugandan.CaseId);
        await nodeB.SummaryAs(TestUser.KenyanLawyer, kenyan.CaseId);

        await (await Administrator()).PostForm("/admin/organisations?handler=Deactivate", new() { ["organisationId"] = "org-ug-1" }, formPage: "/admin/organisations");

        await nodeB.Scenario(x =>
        {
            x.As(TestUser.UgandanLawyer).Get.Url($"/api/cases/{ugandan.CaseId}");
            x.StatusCodeShouldBe(404);
        });
        Assert.Equal(0, (await nodeB.GetAs<CaseList>(TestUser.UgandanLawyer, "/api/cases")).Total);

        // Another organisation's members are not touched, and reactivating lets them back in.
        await nodeB.SummaryAs(TestUser.KenyanLawyer, kenyan.CaseId);
        await (await Administrator()).PostForm("/admin/organisations?handler=Reactivate", new() { ["organisationId"] = "org-ug-1" }, formPage: "/admin/organisations");
        await nodeB.SummaryAs(TestUser.UgandanLawyer, ugandan.CaseId);
    }

    private async Task<BrowserSession> Administrator()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-admin");
        return browser;
    }

    /// <summary>Another node of the app on the shared database, started after the test's reset and stopped at its end.</summary>
    private static Task<IAlbaHost> StartNodeB() => AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
        builder.UseSetting("RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("RateLimits:RequestsPerMinute", "100000");
        builder.ConfigureServices(AppFixture.AddTestSignIn);
    });
}

using JusticeTracker.Access.Directory;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Access;

public sealed class DirectoryDecisionTests
{
    private static readonly AdminAct By = new("admin-1", new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private static DirectoryState Given(params object[] events) => DirectoryState.From(events);

    [Fact]
    public void a_new_organisation_gets_the_next_code_for_its_country()
    {
        var state = Given(new OrganisationRegistered("org-ke-1", "A", "KE", By), new OrganisationRegistered("org-ke-2", "B", "KE", By));

        var decision = DirectoryCommands.Decide(state, new RegisterOrganisation("  New centre ", "ke"), By);

        Assert.Equal(new OrganisationRegistered("org-ke-3", "New centre", "KE", By), Assert.Single(decision.Events));
    }

    [Fact]
    public void a_person_belongs_to_one_organisation_and_is_moved_rather_than_added_twice()
    {
        var state = Given(new OrganisationRegistered("org-ke-1", "Nairobi centre", "KE", By), new MemberAdded("p-1", "p1@example.org", "org-ke-1", By));

        var decision = DirectoryCommands.Decide(state, new AddMember("p-1", "p1@example.org", "org-ke-1"), By);

        Assert.Contains("already belongs to Nairobi centre", decision.Problems.First(p => p.Field == "objectId").English, StringComparison.Ordinal);
    }

    [Fact]
    public void nobody_is_added_or_moved_to_an_inactive_organisation()
    {
        var state = Given(
            new OrganisationRegistered("org-ke-1", "A", "KE", By),
            new OrganisationRegistered("org-ug-1", "B", "UG", By),
            new OrganisationDeactivated("org-ug-1", By),
            new MemberAdded("p-1", "p1@example.org", "org-ke-1", By));

        Assert.True(DirectoryCommands.Decide(state, new AddMember("p-2", "p2@example.org", "org-ug-1"), By).IsRefused);
        Assert.True(DirectoryCommands.Decide(state, new MoveMember("p-1", "org-ug-1"), By).IsRefused);
    }

    [Fact]
    public void bad_input_names_each_field()
    {
        var decision = DirectoryCommands.Decide(Given(), new RegisterOrganisation("", "Kenya"), By);
        Assert.Contains("name", decision.Problems.Select(p => p.Field));
        Assert.Contains("country", decision.Problems.Select(p => p.Field));

        var member = DirectoryCommands.Decide(Given(), new AddMember("not an id!", "nobody", "org-x"), By);
        Assert.Contains("objectId", member.Problems.Select(p => p.Field));
        Assert.Contains("email", member.Problems.Select(p => p.Field));
        Assert.Contains("organisationId", member.Problems.Select(p => p.Field));
    }
}

public sealed class DirectoryAdministrationTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<BrowserSession> Administrator()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-admin");
        return browser;
    }

    [Fact]
    public async Task an_administrator_registers_renames_moves_and_deactivates_an_organisation_with_a_confirmation_each_time()
    {
        var admin = await Administrator();

        await admin.PostForm("/admin/organisations?handler=Register", new() { ["name"] = "Demo Mombasa Child Law Clinic", ["country"] = "ke" }, formPage: "/admin/organisations");
        var page = await (await admin.Get("/admin/organisations")).ReadAsTextAsync();
        Assert.Contains("Organisation &quot;Demo Mombasa Child Law Clinic&quot; registered.", page, StringComparison.Ordinal);
        Assert.Contains("org-ke-3", page, StringComparison.Ordinal);

        await admin.PostForm("/admin/organisations?handler=Rename", new() { ["organisationId"] = "org-ke-3", ["name"] = "Demo Coast Child Law Clinic" }, formPage: "/admin/organisations");
        await admin.PostForm("/admin/organisations?handler=Country", new() { ["organisationId"] = "org-ke-3", ["country"] = "TZ" }, formPage: "/admin/organisations");
        await admin.PostForm("/admin/organisations?handler=Deactivate", new() { ["organisationId"] = "org-ke-3" }, formPage: "/admin/organisations");
        page = await (await admin.Get("/admin/organisations")).ReadAsTextAsync();
        Assert.Contains("value=\"TZ\"", page, StringComparison.Ordinal);
        Assert.Contains("Demo Coast Child Law Clinic", page, StringComparison.Ordinal);
        Assert.Contains("Organisation deactivated.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_refused_change_shows_the_problem_beside_the_form_and_saves_nothing()
    {
        var admin = await Administrator();

        var result = await admin.PostForm("/admin/organisations?handler=Register", new() { ["name"] = "Demo Kisumu Child Advocacy", ["country"] = "XX" }, status: 200, formPage: "/admin/organisations");

        var page = await result.ReadAsTextAsync();
        Assert.Contains("value=\"Demo Kisumu Child Advocacy\"", page, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved", page, StringComparison.Ordinal);
        Assert.Contains("two-letter ISO 3166 code", page, StringComparison.Ordinal);
        Assert.DoesNotContain("org-xx-1", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task removing_a_person_takes_effect_on_their_next_request()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        var admin = await Administrator();

        await admin.PostForm("/admin/members?handler=Remove", new() { ["objectId"] = TestUser.KenyanLawyer.Id }, formPage: "/admin/members");

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{opened.CaseId}");
            x.StatusCodeShouldBe(404);
        });
        var list = await Host.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases");
        Assert.Equal(0, list.Total);
    }

    [Fact]
    public async Task a_moved_person_sees_only_the_new_organisations_cases_from_their_next_request()
    {
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var coast = await Host.OpenCaseAs(TestUser.OtherKenyanLawyer);
        var admin = await Administrator();

        await admin.PostForm("/admin/members?handler=Move", new() { ["objectId"] = TestUser.KenyanLawyer.Id, ["toOrganisationId"] = "org-ke-2" }, formPage: "/admin/members");

        var list = await Host.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases");
        Assert.Equal([coast.CaseId], list.Items.Select(i => i.Id));
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{kenyan.CaseId}");
            x.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task deactivating_an_organisation_cuts_its_members_off_at_once()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var admin = await Administrator();

        await admin.PostForm("/admin/organisations?handler=Deactivate", new() { ["organisationId"] = "org-ke-1" }, formPage: "/admin/organisations");

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{opened.CaseId}");
            x.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task an_administrator_adds_a_person_who_can_then_open_cases()
    {
        var admin = await Administrator();
        var newcomer = new TestUser("3f2504e0-4f89-11d3-9a0c-0305e82c3301", [JusticeTracker.Cases.UserRole.MemberLawyer], null);
        await Host.Scenario(x =>
        {
            x.As(newcomer).Post.Json(Scenarios.NewCase(organisation: null)).ToUrl("/api/cases");
            x.StatusCodeShouldBe(400);
        });

        await admin.PostForm("/admin/members?handler=Add", new() { ["objectId"] = newcomer.Id, ["email"] = "newcomer@example.org", ["organisationId"] = "org-ph-1" }, formPage: "/admin/members");

        var opened = await Host.OpenCaseAs(newcomer, Scenarios.NewCase("PH", organisation: null));
        Assert.StartsWith("PH-", opened.Reference, StringComparison.Ordinal);
        Assert.Contains("newcomer@example.org", await (await admin.Get("/admin/members?organisation=org-ph-1")).ReadAsTextAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo-legal-expert")]
    [InlineData("demo-lawyer-ke-1")]
    [InlineData("demo-analyst")]
    public async Task only_administrators_reach_the_administration_pages(string demoUser)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs(demoUser);

        await browser.Get("/admin/organisations", status: 302);
        await browser.Get("/admin/members", status: 302);
    }
}

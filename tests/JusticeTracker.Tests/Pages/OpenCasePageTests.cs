using System.Text.RegularExpressions;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Pages;

public sealed partial class OpenCasePageTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly TestUser Lawyer = new("demo-lawyer-ph-1", [JusticeTracker.Cases.UserRole.MemberLawyer], "org-ph-1");

    private static Dictionary<string, string> Filled(string commandId) => new()
    {
        ["Form.CommandId"] = commandId,
        ["Form.Country"] = "PH",
        ["Form.ExploitationBegan"] = "2024-05-10",
        ["Form.ExploitationPrecision"] = "Month",
        ["Form.AgeBand"] = "Age12To14",
        ["Form.Sex"] = "Female",
        ["Form.Forms"] = "OnlineSexualExploitation",
        ["Form.OnlineFacilitated"] = "Yes",
        ["Form.CrossBorder"] = "Yes",
        ["Form.ForeignOffender"] = "Unknown",
        ["Form.Disability"] = "No",
    };

    private static async Task<string> CommandIdOn(BrowserSession browser) =>
        CommandId().Match(await (await browser.Get("/cases/open")).ReadAsTextAsync()).Groups[1].Value;

    [Fact]
    public async Task a_member_lawyer_opens_a_case_with_the_form_and_lands_on_it_with_a_confirmation()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ph-1");

        var result = await browser.PostForm("/cases/open", Filled(await CommandIdOn(browser)));

        var location = result.Context.Response.Headers.Location.ToString();
        Assert.StartsWith("/cases/", location, StringComparison.Ordinal);
        var page = await (await browser.Get(location)).ReadAsTextAsync();
        Assert.Matches("Case PH-2026-[0-9A-Z]{4} opened\\.", page);
        Assert.Contains("May 2024", page, StringComparison.Ordinal);
        var list = await Host.GetAs<CaseList>(Lawyer, "/api/cases");
        Assert.Equal("org-ph-1", Assert.Single(list.Items).OrganisationId);
    }

    [Fact]
    public async Task submitting_the_form_twice_opens_one_case()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ph-1");
        var commandId = await CommandIdOn(browser);

        var first = await browser.PostForm("/cases/open", Filled(commandId));
        var second = await browser.PostForm("/cases/open", Filled(commandId));

        Assert.Equal(first.Context.Response.Headers.Location.ToString(), second.Context.Response.Headers.Location.ToString());
        Assert.Equal(1, (await Host.GetAs<CaseList>(Lawyer, "/api/cases")).Total);
    }

    [Fact]
    public async Task a_form_with_missing_answers_shows_each_problem_beside_its_field_and_keeps_what_was_typed()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ph-1");
        var form = Filled(await CommandIdOn(browser));
        form.Remove("Form.AgeBand");
        form.Remove("Form.Forms");

        var page = await (await browser.PostForm("/cases/open", form, status: 200)).ReadAsTextAsync();

        Assert.Contains("Nothing was saved", page, StringComparison.Ordinal);
        Assert.Contains("Choose the age band", page, StringComparison.Ordinal);
        Assert.Contains("href=\"#Form_AgeBand\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2024-05-10\"", page, StringComparison.Ordinal);
        Assert.Equal(0, (await Host.GetAs<CaseList>(Lawyer, "/api/cases")).Total);
    }

    [Fact]
    public async Task the_profile_is_corrected_with_the_same_fields_and_the_case_keeps_its_organisation()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ph-1");
        var opened = await browser.PostForm("/cases/open", Filled(await CommandIdOn(browser)));
        var casePage = opened.Context.Response.Headers.Location.ToString();
        var form = await (await browser.Get(casePage + "/profile")).ReadAsTextAsync();
        Assert.Contains("value=\"Female\" checked=\"checked\"", form, StringComparison.Ordinal);

        var corrected = Filled(CommandId().Match(form).Groups[1].Value);
        corrected["Form.Sex"] = "Male";
        corrected["Version"] = "1";
        corrected["Reason"] = "Entered the wrong option.";
        await browser.PostForm(casePage + "/profile", corrected, formPage: casePage + "/profile");

        var page = await (await browser.Get(casePage)).ReadAsTextAsync();
        Assert.Contains("Profile corrected.", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Sex</dt><dd>Male</dd>", page, StringComparison.Ordinal);
        Assert.Equal("org-ph-1", Assert.Single((await Host.GetAs<CaseList>(Lawyer, "/api/cases")).Items).OrganisationId);
    }

    [GeneratedRegex("name=\"Form.CommandId\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex CommandId();
}

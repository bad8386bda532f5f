using System.Text.Json;
using System.Text.RegularExpressions;
using JusticeTracker.Cases;
using JusticeTracker.FollowUps;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Security;

/// <summary>
/// A code that is not on the list, a number for a code, or a list of codes that adds up to another,
/// is refused with a problem naming the field, on the API and on the forms, and nothing is stored:
/// an undefined value, once stored, is one the statistics would silently leave out.
/// </summary>
public sealed partial class StrictInputTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly TestUser Lawyer = new("demo-lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private async Task<long> EventCount(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(caseId)).Count;
    }

    private async Task<Case> CaseAsync(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Case>(caseId))!;
    }

    private async Task<ValidationProblemDetails> Refused(string url, string body)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Text(body).ToUrl(url);
            x.WithRequestHeader("Content-Type", "application/json");
            x.StatusCodeShouldBe(400);
        });
        var text = await result.ReadAsTextAsync();
        Assert.DoesNotContain("JusticeTracker.", text, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<ValidationProblemDetails>(text, Web)!;
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"42\"")]
    [InlineData("\"1\"")]
    [InlineData("\"BRIBERY\"")]
    [InlineData("\"delay\"")]
    [InlineData("\"DELAY, COST\"")]
    [InlineData("null")]
    public async Task an_entry_with_a_code_not_on_the_list_is_refused_naming_the_field_and_nothing_is_appended(string category)
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var body = $$$"""{"commandId":"{{{Guid.NewGuid()}}}","version":1,"occurred":{"date":"2025-01-01","precision":"Day"},"details":{"kind":"BarrierRecorded","blockedTrack":"CriminalJustice","category":{{{category}}},"severity":"Delayed"}}""";

        var problem = await Refused($"/api/cases/{opened.CaseId}/entries", body);

        Assert.Equal(["details.category"], problem.Errors.Keys);
        Assert.Equal(["Choose a value from the list."], problem.Errors["details.category"]);
        Assert.Contains("$.details.category", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task the_same_codes_by_name_are_accepted_and_stored_by_name()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var body = $$$"""{"commandId":"{{{Guid.NewGuid()}}}","version":1,"occurred":{"date":"2025-01-01","precision":"Day"},"details":{"kind":"BarrierRecorded","blockedTrack":"CriminalJustice","blockedStage":"Reported","category":"DELAY","severity":"Delayed"}}""";

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Text(body).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.WithRequestHeader("Content-Type", "application/json");
            x.StatusCodeShouldBeOk();
        });

        var barrier = Assert.Single((await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId)).OpenBarriers);
        Assert.Equal((BarrierCategory.Delay, Stage.Reported), (barrier.Category, barrier.BlockedStage));
        var json = await (await Host.Scenario(x => x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{opened.CaseId}/timeline"))).ReadAsTextAsync();
        Assert.Contains("\"category\":\"DELAY\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"forms\":[\"OnlineSexualExploitation\",3]", "forms[1]")]
    [InlineData("\"forms\":[\"OnlineSexualExploitation\",\"Grooming\"]", "forms[1]")]
    [InlineData("\"ageBand\":7", "ageBand")]
    [InlineData("\"ageBand\":\"Age0To5\"", "ageBand")]
    [InlineData("\"disability\":-1", "disability")]
    [InlineData("\"exploitationBegan\":{\"date\":\"2024-03-01\",\"precision\":9}", "exploitationBegan.precision")]
    public async Task opening_a_case_with_a_code_not_on_the_list_is_refused_naming_the_field_and_opens_nothing(string field, string named)
    {
        var valid = JsonSerializer.Serialize(NewCase(), Web);
        var key = field[1..field.IndexOf('"', 1)];
        var body = Regex.Replace(valid, $"\"{key}\":(\\[[^\\]]*\\]|\\{{[^}}]*\\}}|\"[^\"]*\"|[^,}}]+)", field.Replace("$", "$$", StringComparison.Ordinal));
        Assert.NotEqual(valid, body);

        var problem = await Refused("/api/cases", body);

        Assert.Equal([named], problem.Errors.Keys);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(0, await session.Query<Case>().CountAsync());
    }

    [Fact]
    public async Task acting_on_a_follow_up_with_an_action_not_on_the_list_does_nothing()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        // Before strict reading, 7 fell through to "resolve".
        var problem = await Refused($"/api/cases/{opened.CaseId}/follow-ups/{Guid.NewGuid()}", """{"action":7}""");

        Assert.Equal(["action"], problem.Errors.Keys);
    }

    [Fact]
    public async Task the_api_description_still_lists_the_codes()
    {
        var text = await (await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url("/openapi/v1.json");
            x.StatusCodeShouldBeOk();
        })).ReadAsTextAsync();

        using var document = JsonDocument.Parse(text);
        var category = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("BarrierCategory");
        Assert.Contains("REPORTING_FEAR", category.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var ages = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("AgeBand");
        Assert.Equal(["0-5", "6-11", "12-14", "15-17"], ages.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task a_record_form_with_a_code_not_on_the_list_shows_the_problem_in_the_readers_language_and_records_nothing()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = new BrowserSession(Host);
        await browser.SignInAs(Lawyer.Id);
        await browser.PostForm("/language", new() { ["culture"] = "fr", ["returnUrl"] = "/cases" }, formPage: "/cases");
        var page = $"/cases/{opened.CaseId}/record";

        // The precision has a default: before, a bad one was quietly recorded as "Day".
        foreach (var (field, value) in new[] { ("Form.Precision", "42"), ("Form.Category", "42"), ("Form.Category", "BRIBERY") })
        {
            var form = new Dictionary<string, string>
            {
                ["Form.CommandId"] = Guid.NewGuid().ToString(),
                ["Form.Version"] = "1",
                ["Form.Kind"] = nameof(BarrierRecorded),
                ["Form.Occurred"] = "2025-11-01",
                ["Form.Precision"] = "Day",
                ["Form.Track"] = "CriminalJustice",
                ["Form.Category"] = "Delay",
                ["Form.Severity"] = "Delayed",
            };
            form[field] = value;

            var html = await (await browser.PostForm(page, form, status: 200, formPage: page + "?kind=BarrierRecorded")).ReadAsTextAsync();

            Assert.Contains("Choisissez une valeur dans la liste.", html, StringComparison.Ordinal);
            Assert.DoesNotContain("BRIBERY", html, StringComparison.Ordinal);
            Assert.Equal(1, await EventCount(opened.CaseId));
        }
    }

    [Fact]
    public async Task a_profile_correction_with_a_code_not_on_the_list_is_refused_and_records_nothing()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        var browser = new BrowserSession(Host);
        await browser.SignInAs(Lawyer.Id);
        var page = $"/cases/{opened.CaseId}/profile";
        var form = new Dictionary<string, string>
        {
            ["Version"] = "1",
            ["Reason"] = "The intake form was misread.",
            ["Form.Country"] = "KE",
            ["Form.ExploitationBegan"] = "2024-03-01",
            ["Form.ExploitationPrecision"] = "Month",
            ["Form.AgeBand"] = "Age12To14",
            ["Form.Sex"] = "Female",
            ["Form.Forms"] = "OnlineSexualExploitation",
            ["Form.OnlineFacilitated"] = "42",
            ["Form.CrossBorder"] = "No",
            ["Form.ForeignOffender"] = "Unknown",
            ["Form.Disability"] = "No",
        };

        var html = await (await browser.PostForm(page, form, status: 200)).ReadAsTextAsync();

        Assert.Contains("Choose a value from the list.", html, StringComparison.Ordinal);
        Assert.Equal(1, await EventCount(opened.CaseId));
    }

    [Fact]
    public async Task a_follow_up_button_with_an_action_not_on_the_list_is_a_bad_request_and_does_nothing()
    {
        var opened = await Host.OpenCaseAs(Lawyer);
        await Host.RecordAs(Lawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police), "2026-11-28"));
        Fixture.Clock.Now = AppFixture.Start.AddDays(91);
        using (var scope = Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new FollowUpCheck(opened.CaseId));
        }

        var followUp = Assert.Single((await CaseAsync(opened.CaseId)).FollowUps);
        var browser = new BrowserSession(Host);
        await browser.SignInAs(Lawyer.Id);

        // The action binds as the first one, "acknowledge", when the value is not on the list.
        var result = await browser.PostForm($"/cases/{opened.CaseId}?handler=FollowUp", new() { ["followUpId"] = followUp.Id.ToString(), ["act"] = "7" }, status: 400, formPage: $"/cases/{opened.CaseId}");

        Assert.Contains("act", (await result.ReadAsJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        Assert.Equal(FollowUpStatus.Open, Assert.Single((await CaseAsync(opened.CaseId)).FollowUps).Status);
    }
}

using System.Net;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JusticeTracker.Tests.Cases;

public sealed class OpeningCaseTests(AppFixture fixture) : AppTest(fixture)
{
    [Fact]
    public async Task a_member_lawyer_opens_a_case_for_their_organisation_with_a_meaningless_reference()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        Assert.Matches("^KE-2026-[0-9A-HJKMNP-TV-Z]{4}$", opened.Reference);
        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Equal("org-ke-1", summary.Profile.OrganisationId);
        Assert.Equal(1, summary.Version);
        Assert.All(summary.Tracks, t => Assert.Equal(JusticeTracker.Cases.TrackStatus.NotStarted, t.Status));
    }

    [Fact]
    public async Task opening_the_same_command_twice_opens_one_case()
    {
        var command = Scenarios.NewCase();
        var first = await Host.OpenCaseAs(TestUser.KenyanLawyer, command);

        var again = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(command).ToUrl("/api/cases");
            x.StatusCodeShouldBe(HttpStatusCode.OK);
        });

        Assert.Equal(first.Reference, (await again.ReadAsJsonAsync<CaseOpenedResponse>())!.Reference);
        var list = await Host.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases");
        Assert.Equal(1, list.Total);
    }

    [Fact]
    public async Task sixteen_identical_open_requests_at_once_open_one_case_and_all_get_its_reference()
    {
        var command = Scenarios.NewCase();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(command).ToUrl("/api/cases");
            x.IgnoreStatusCode();
        })));

        Assert.All(results, r => Assert.Contains(r.Context.Response.StatusCode, new[] { StatusCodes.Status201Created, StatusCodes.Status200OK }));
        var answers = await Task.WhenAll(results.Select(r => r.ReadAsJsonAsync<CaseOpenedResponse>()));
        Assert.Single(results, r => r.Context.Response.StatusCode == StatusCodes.Status201Created);
        Assert.Single(answers.Select(a => a!.Reference).Distinct());
        var list = await Host.GetAs<CaseList>(TestUser.KenyanLawyer, "/api/cases");
        Assert.Equal(1, list.Total);
    }

    [Fact]
    public async Task a_legal_expert_must_choose_an_active_organisation()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(Scenarios.NewCase(organisation: "org-nowhere")).ToUrl("/api/cases");
            x.StatusCodeShouldBe(400);
        });

        var problem = await result.ReadAsJsonAsync<ValidationProblemDetails>();
        Assert.Contains("organisationId", problem!.Errors.Keys);
    }

    [Fact]
    public async Task a_bad_profile_names_each_field_in_the_problem()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Scenarios.NewCase(country: "Kenya") with { Forms = [] }).ToUrl("/api/cases");
            x.StatusCodeShouldBe(400);
        });

        var problem = (await result.ReadAsJsonAsync<ValidationProblemDetails>())!;
        Assert.Equal("The case could not be opened.", problem.Title);
        Assert.Contains("country", problem.Errors.Keys);
        Assert.Contains("forms", problem.Errors.Keys);
    }

    [Fact]
    public async Task an_unknown_code_in_the_profile_is_a_400_not_a_crash()
    {
        var body = """{"commandId":"6f1c1a54-55a8-4a84-9d87-111111111111","country":"KE","exploitationBegan":{"date":"2024-01-01","precision":"Month"},"ageBand":"12-14","sex":"Robot","forms":["Trafficking"],"onlineFacilitated":"Yes","crossBorder":"No","foreignOffender":"No","disability":"No"}""";

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Text(body).ToUrl("/api/cases");
            x.WithRequestHeader("Content-Type", "application/json");
            x.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task analysts_and_administrators_cannot_open_cases()
    {
        foreach (var user in new[] { TestUser.Analyst, TestUser.Administrator })
        {
            await Host.Scenario(x =>
            {
                x.As(user).Post.Json(Scenarios.NewCase()).ToUrl("/api/cases");
                x.StatusCodeShouldBe(403);
            });
        }
    }

    [Fact]
    public async Task without_sign_in_the_api_answers_401()
    {
        await Host.Scenario(x =>
        {
            x.Post.Json(Scenarios.NewCase()).ToUrl("/api/cases");
            x.StatusCodeShouldBe(401);
        });
    }
}

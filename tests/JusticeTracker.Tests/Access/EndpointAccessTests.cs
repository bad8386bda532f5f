using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Access;

/// <summary>Every route the app maps, checked for a policy, and every role checked against each case route.</summary>
public sealed class EndpointAccessTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>Routes anyone may reach: signing in, and static assets.</summary>
    private static readonly string[] Anonymous = ["dev/sign-in"];

    [Fact]
    public void every_mapped_endpoint_requires_a_signed_in_user_or_is_explicitly_anonymous()
    {
        var endpoints = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var route = endpoint.RoutePattern.RawText ?? "";
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            if (anonymous)
            {
                Assert.Contains(route.Trim('/'), Anonymous);
            }
            else if (route.StartsWith("api/", StringComparison.Ordinal) || route.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.Contains(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy is not null);
            }
        }
    }

    public static TheoryData<string, string> CaseRoutes => new()
    {
        { "GET", "/api/cases/{id}" },
        { "GET", "/api/cases/{id}/timeline" },
        { "POST", "/api/cases/{id}/entries" },
    };

    [Theory]
    [MemberData(nameof(CaseRoutes))]
    public async Task each_role_gets_exactly_what_it_may_on_a_case_route(string method, string route)
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var url = route.Replace("{id}", opened.CaseId.ToString(), StringComparison.Ordinal);
        var expected = new Dictionary<TestUser, int>
        {
            [TestUser.KenyanLawyer] = 200,
            [TestUser.LegalExpert] = 200,
            [TestUser.OtherKenyanLawyer] = 404,
            [TestUser.UgandanLawyer] = 404,
            [TestUser.Analyst] = 403,
            [TestUser.Administrator] = 403,
        };

        foreach (var (user, status) in expected)
        {
            await Host.Scenario(x =>
            {
                x.As(user);
                if (method == "GET")
                {
                    x.Get.Url(url);
                }
                else
                {
                    // A fresh entry each time; the version is read so that allowed users succeed.
                    x.Post.Json(Entry(0, new JusticeTracker.Cases.RightAssessed(JusticeTracker.Cases.ChildRight.Safety, JusticeTracker.Cases.RightRespect.Respected))).ToUrl(url);
                }

                x.StatusCodeShouldBe(status == 200 && method == "POST" ? 409 : status);
            });
        }

        await Host.Scenario(x =>
        {
            if (method == "GET")
            {
                x.Get.Url(url);
            }
            else
            {
                x.Post.Json(Entry(1, new JusticeTracker.Cases.InvestigationOpened())).ToUrl(url);
            }

            x.StatusCodeShouldBe(401);
        });
    }

    [Fact]
    public async Task the_case_list_shows_only_what_the_user_may_see()
    {
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var ugandan = await Host.OpenCaseAs(TestUser.UgandanLawyer, NewCase("UG", "org-ug-1"));

        var mine = await Host.GetAs<JusticeTracker.Cases.Reading.CaseList>(TestUser.KenyanLawyer, "/api/cases");
        var all = await Host.GetAs<JusticeTracker.Cases.Reading.CaseList>(TestUser.LegalExpert, "/api/cases");
        var byReference = await Host.GetAs<JusticeTracker.Cases.Reading.CaseList>(TestUser.KenyanLawyer, $"/api/cases?reference={ugandan.Reference}");

        Assert.Equal([kenyan.CaseId], mine.Items.Select(i => i.Id));
        Assert.Equal(2, all.Total);
        Assert.Empty(byReference.Items);
        await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/cases");
            x.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task a_page_without_sign_in_redirects_to_the_sign_in()
    {
        await Host.Scenario(x =>
        {
            x.Get.Url("/");
            x.StatusCodeShouldBe(302);
            x.Header("Location").ShouldHaveValues("http://localhost/dev/sign-in?ReturnUrl=%2F");
        });
    }

    [Fact]
    public async Task the_openapi_document_describes_the_case_api_to_signed_in_users()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url("/openapi/v1.json");
            x.StatusCodeShouldBeOk();
        });

        var text = await result.ReadAsTextAsync();
        Assert.Contains("/api/cases/{caseId}/entries", text, StringComparison.Ordinal);
        Assert.Contains("VerdictDelivered", text, StringComparison.Ordinal);
    }
}

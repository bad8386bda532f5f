using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Access;

/// <summary>Every route the app maps, checked for a policy, and every role checked against each case route.</summary>
public sealed class EndpointAccessTests(AppFixture fixture) : AppTest(fixture)
{
    private const string Anyone = "anyone";
    private const string SignedIn = "signed-in";

    /// <summary>
    /// Every route the app maps, and who may use it. A new endpoint or page fails
    /// <see cref="every_mapped_route_is_in_the_access_matrix_with_an_explicit_policy"/> until it is added here.
    /// </summary>
    private static readonly Dictionary<string, string[]> Matrix = new()
    {
        ["GET /dev/sign-in"] = [Anyone],
        ["GET /sign-in"] = [Anyone],
        ["GET /signed-out"] = [Anyone],
        ["GET /language"] = [Anyone],
        ["GET /cases"] = ["LegalExpert", "MemberLawyer"],
        ["GET /cases/open"] = ["LegalExpert", "MemberLawyer"],
        ["GET /cases/{caseId:guid}"] = ["LegalExpert", "MemberLawyer"],
        ["GET /cases/{caseId:guid}/record"] = ["LegalExpert", "MemberLawyer"],
        ["GET /cases/{caseId:guid}/profile"] = ["LegalExpert", "MemberLawyer"],
        ["GET /cases/{caseId:guid}/erase"] = ["LegalExpert"],
        ["GET /cases/{caseId:guid}/transfer"] = ["LegalExpert", "MemberLawyer"],
        ["GET /transfers"] = ["LegalExpert", "MemberLawyer"],
        ["GET /follow-ups"] = ["LegalExpert", "MemberLawyer"],
        ["GET /imports"] = ["LegalExpert", "MemberLawyer"],
        ["GET /imports/{id:guid}"] = ["LegalExpert", "MemberLawyer"],
        ["GET /quality"] = ["LegalExpert", "MemberLawyer"],
        ["GET /quality/network"] = ["LegalExpert"],
        ["GET /figures"] = ["LegalExpert", "MemberLawyer"],
        ["GET /reviews"] = ["LegalExpert"],
        ["GET /"] = [SignedIn],
        ["GET /Index"] = [SignedIn],
        ["GET /access-denied"] = [SignedIn],
        ["GET /sign-out"] = [SignedIn],
        ["GET /openapi/{documentName}.json"] = [SignedIn],
        ["GET /api/cases"] = ["LegalExpert", "MemberLawyer"],
        ["POST /api/cases"] = ["LegalExpert", "MemberLawyer"],
        ["GET /api/cases/{caseId}"] = ["LegalExpert", "MemberLawyer"],
        ["GET /api/cases/{caseId}/timeline"] = ["LegalExpert", "MemberLawyer"],
        ["POST /api/cases/{caseId}/entries"] = ["LegalExpert", "MemberLawyer"],
        ["POST /api/cases/{caseId}/erasure"] = ["LegalExpert"],
        ["POST /api/cases/{caseId}/transfers"] = ["LegalExpert", "MemberLawyer"],
        ["POST /api/cases/{caseId}/transfers/{transferId}"] = ["LegalExpert", "MemberLawyer"],
        ["POST /api/cases/{caseId}/follow-ups/{followUpId}"] = ["LegalExpert", "MemberLawyer"],
        ["GET /api/follow-ups"] = ["LegalExpert", "MemberLawyer"],
        ["GET /api/pathways"] = [SignedIn],
        ["GET /api/pathways/{country}"] = [SignedIn],
        ["GET /api/reviews"] = ["LegalExpert"],
        ["POST /api/cases/{caseId}/reviews/{reviewId}"] = ["LegalExpert"],
        ["GET /admin/organisations"] = ["Administrator"],
        ["GET /admin/members"] = ["Administrator"],
        ["GET /admin/audit"] = ["Administrator"],
        ["GET /statistics"] = ["Analyst", "LegalExpert"],
        ["GET /statistics/waits"] = ["Analyst", "LegalExpert"],
        ["GET /api/statistics"] = ["Analyst", "LegalExpert"],
        ["GET /api/statistics/{table}.csv"] = ["Analyst", "LegalExpert"],
        ["GET /api/statistics/{chart}.svg"] = ["Analyst", "LegalExpert"],
        ["GET /api/statistics/{chart}.png"] = ["Analyst", "LegalExpert"],
        ["GET /api/statistics/brief.docx"] = ["Analyst", "LegalExpert"],
        ["GET /api/statistics/open-data.zip"] = ["Analyst", "LegalExpert"],
    };

    private IEnumerable<(string Key, RouteEndpoint Endpoint)> MappedRoutes() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Where(m => m != "HEAD")
                .Select(m => ($"{m} /{e.RoutePattern.RawText?.TrimStart('/')}", e)));

    [Fact]
    public void every_mapped_route_is_in_the_access_matrix_with_an_explicit_policy()
    {
        var mapped = MappedRoutes().ToList();

        Assert.Equal(Matrix.Keys.Order(), mapped.Select(m => m.Key).Distinct().Order());
        foreach (var (key, endpoint) in mapped)
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(anonymous ? Matrix[key].SequenceEqual([Anyone]) : policies.Any(p => p is not null), $"{key} has no explicit policy");
            Assert.False(anonymous && key.Contains("/api/", StringComparison.Ordinal), $"{key} is an API route open to anyone");
        }
    }

    [Fact]
    public async Task each_role_is_allowed_or_denied_on_every_route_exactly_as_the_matrix_says()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var users = new (string Role, TestUser? User)[]
        {
            ("LegalExpert", TestUser.LegalExpert),
            ("MemberLawyer", TestUser.KenyanLawyer),
            ("Analyst", TestUser.Analyst),
            ("Administrator", TestUser.Administrator),
            (Anyone, null),
        };

        foreach (var (key, allowed) in Matrix)
        {
            var method = key.Split(' ')[0];
            var url = key.Split(' ')[1].Replace("{caseId:guid}", opened.CaseId.ToString(), StringComparison.Ordinal).Replace("{caseId}", opened.CaseId.ToString(), StringComparison.Ordinal).Replace("{documentName}", "v1", StringComparison.Ordinal).Replace("{table}", "overview", StringComparison.Ordinal).Replace("{chart}", "barriers", StringComparison.Ordinal).Replace("{followUpId}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{reviewId}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{transferId}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{country}", "SN", StringComparison.Ordinal)
                + (key.EndsWith("/record", StringComparison.Ordinal) ? "?kind=InvestigationOpened" : "");
            foreach (var (role, user) in users)
            {
                var mayUse = allowed.Contains(Anyone) || (user is not null && (allowed.Contains(SignedIn) || allowed.Contains(role)));
                var result = await Host.Scenario(x =>
                {
                    if (user is not null)
                    {
                        x.As(user);
                    }

                    if (method == "GET")
                    {
                        x.Get.Url(url);
                    }
                    else
                    {
                        // A body that binds but is refused or stale: access is decided before the body matters.
                        x.Post.Json(new { commandId = Guid.Empty, version = -1, reason = "OpenedInError" }).ToUrl(url);
                    }

                    x.IgnoreStatusCode();
                });

                var status = result.Context.Response.StatusCode;
                var location = result.Context.Response.Headers.Location.ToString();
                // Denied is 401 or 403, or the sign-in cookie's redirect (with its ReturnUrl) to the sign-in or
                // access-denied page. The access-denied page itself answers with a 403 page.
                var denied = status == 401
                    || (status == 403 && url != "/access-denied")
                    || (status == 302 && (location.Contains("/access-denied", StringComparison.Ordinal) || location.Contains("/dev/sign-in?ReturnUrl=", StringComparison.Ordinal)));
                Assert.True(mayUse != denied, $"{role} on {key}: expected {(mayUse ? "allowed" : "denied")}, got {status} {location}");
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

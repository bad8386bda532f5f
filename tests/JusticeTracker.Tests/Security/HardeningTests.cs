using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace JusticeTracker.Tests.Security;

public sealed class HardeningTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("/dev/sign-in")]
    [InlineData("/")]
    [InlineData("/api/cases")]
    public async Task every_response_carries_the_security_headers_and_is_never_cached(string url)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-legal-expert");

        var result = await browser.Get(url);

        var headers = result.Context.Response.Headers;
        Assert.Contains("frame-ancestors 'none'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
    }

    [Fact]
    public async Task pages_have_no_inline_script()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ke-1");

        foreach (var url in new[] { "/", "/dev/sign-in" })
        {
            var html = await (await browser.Get(url)).ReadAsTextAsync();
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
            Assert.DoesNotMatch("<[^>]*\\son[a-z]+\\s*=", html);
            Assert.DoesNotMatch("<[^>]*\\sstyle\\s*=", html);
        }
    }

    [Fact]
    public async Task a_form_post_without_an_antiforgery_token_is_refused()
    {
        var browser = new BrowserSession(Host);
        await browser.Get("/dev/sign-in");

        await browser.PostForm("/dev/sign-in", new Dictionary<string, string> { ["userId"] = "demo-legal-expert" }, status: 400, withToken: false);
    }

    [Fact]
    public async Task a_form_post_with_another_sessions_token_is_refused()
    {
        var attacker = new BrowserSession(Host);
        await attacker.SignInAs("demo-lawyer-ug-1");
        var victim = new BrowserSession(Host);
        await victim.SignInAs("demo-lawyer-ke-1");
        var attackersToken = System.Text.RegularExpressions.Regex.Match(
            await (await attacker.Get("/dev/sign-in")).ReadAsTextAsync(),
            "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        await Host.Scenario(x =>
        {
            x.Post.FormData(new Dictionary<string, string> { ["__RequestVerificationToken"] = attackersToken }).ToUrl("/sign-out");
            x.WithRequestHeader("Cookie", victim.CookieHeader);
            x.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task a_cross_site_text_plain_post_riding_on_the_session_cookie_is_refused_and_records_nothing()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ke-1");
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var json = System.Text.Json.JsonSerializer.Serialize(Scenarios.Entry(1, new JusticeTracker.Cases.InvestigationOpened()), Web);

        await Host.Scenario(x =>
        {
            x.Post.Text(json).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.WithRequestHeader("Content-Type", "text/plain");
            x.WithRequestHeader("Cookie", browser.CookieHeader);
            x.StatusCodeShouldBe(415);
        });

        Assert.Equal(1, (await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId)).Version);
    }

    [Fact]
    public async Task a_session_ends_after_thirty_idle_minutes()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-legal-expert");
        await browser.Get("/");

        Fixture.Clock.Now += TimeSpan.FromMinutes(31);
        try
        {
            await browser.Get("/", status: 302);
        }
        finally
        {
            Fixture.Clock.Now -= TimeSpan.FromMinutes(31);
        }
    }

    [Fact]
    public async Task a_session_ends_twelve_hours_after_sign_in_even_when_in_use()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-legal-expert");
        var start = Fixture.Clock.Now;
        try
        {
            // Active every 20 minutes: the idle limit never ends it, the absolute one does.
            for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12); elapsed += TimeSpan.FromMinutes(20))
            {
                Fixture.Clock.Now = start + elapsed;
                await browser.Get("/");
            }

            Fixture.Clock.Now = start + TimeSpan.FromHours(12) + TimeSpan.FromMinutes(5);
            await browser.Get("/", status: 302);
        }
        finally
        {
            Fixture.Clock.Now = start;
        }
    }

    [Fact]
    public async Task an_unexpected_error_is_a_plain_problem_without_a_stack_trace()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url(AppFixture.FailingPath);
            x.StatusCodeShouldBe(500);
        });

        var body = await result.ReadAsTextAsync();
        Assert.Contains("application/problem+json", result.Context.Response.ContentType, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);

        // The exception handler clears every header before it answers; the error still carries
        // the same hardening as a page, and the id a user can quote.
        var headers = result.Context.Response.Headers;
        Assert.Contains("frame-ancestors 'none'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", headers.XFrameOptions.ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
        var correlationId = headers[JusticeTracker.Hosting.Logging.CorrelationHeader].ToString();
        Assert.Matches("^[0-9a-f]{32}$", correlationId);
    }
}

/// <summary>Rate limits need a host of their own, with a small limit.</summary>
public sealed class RateLimitTests
{
    private static Task<IAlbaHost> WithLimit(string limit, string value) => AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
        builder.UseSetting($"RateLimits:{limit}", value);
    });

    [Fact]
    public async Task sign_in_attempts_beyond_the_limit_get_429_with_retry_after_but_viewing_the_page_is_free()
    {
        await using var host = await WithLimit("SignInPerMinute", "3");

        var browser = new BrowserSession(host);
        for (var i = 0; i < 3; i++)
        {
            await browser.SignInAs("demo-legal-expert");
        }

        var refused = await browser.PostForm("/dev/sign-in", new() { ["userId"] = "demo-legal-expert" }, status: 429);
        Assert.True(int.Parse(refused.Context.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task api_requests_beyond_the_limit_get_429()
    {
        await using var host = await WithLimit("RequestsPerMinute", "2");

        for (var i = 0; i < 2; i++)
        {
            await host.Scenario(x =>
            {
                x.Get.Url("/api/cases");
                x.StatusCodeShouldBe(401);
            });
        }

        await host.Scenario(x =>
        {
            x.Get.Url("/api/cases");
            x.StatusCodeShouldBe(429);
        });
    }
}

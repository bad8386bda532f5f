using System.Security.Claims;
using Alba.Security;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace JusticeTracker.Tests.Security;

/// <summary>
/// Entra ID sign-in, configured with a fictitious tenant. Nothing reaches the network: the
/// OpenID metadata is given statically, and bearer tokens are signed by Alba's stub.
/// </summary>
public sealed class IdentityTests(AppFixture fixture) : AppTest(fixture)
{
    private const string TenantId = "11111111-2222-3333-4444-555555555555";
    private const string ClientId = "66666666-7777-8888-9999-000000000000";

    private static Task<IAlbaHost> EntraHost(string environment, params IAlbaExtension[] extensions) => AlbaHost.For<Program>(
        builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("DevSignIn:Enabled", "false");
            builder.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
            builder.UseSetting("AzureAd:TenantId", TenantId);
            builder.UseSetting("AzureAd:ClientId", ClientId);
            builder.UseSetting("AzureAd:ClientSecret", "not-a-real-secret");
            builder.WithKeyCertificate();
            builder.ConfigureServices(services =>
            {
                var metadata = new OpenIdConnectConfiguration
                {
                    Issuer = $"https://login.microsoftonline.com/{TenantId}/v2.0",
                    AuthorizationEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize",
                    TokenEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
                    EndSessionEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/logout",
                };
                services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
                {
                    o.Configuration = metadata;
                    o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata);
                });
                services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.TokenValidationParameters.ValidAudience = $"api://{ClientId}");
            });
        },
        extensions);

    [Fact]
    public async Task production_without_any_sign_in_configured_refuses_to_start()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
        }));

        Assert.Contains("No sign-in is configured", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_page_sends_a_signed_out_person_to_entra_id()
    {
        await using var host = await EntraHost("Production");

        var result = await host.Scenario(x =>
        {
            x.Get.Url("/");
            x.StatusCodeShouldBe(302);
        });

        var location = result.Context.Response.Headers.Location.ToString();
        Assert.StartsWith($"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize", location, StringComparison.Ordinal);
        Assert.Contains($"client_id={ClientId}", location, StringComparison.Ordinal);
        var cookies = result.Context.Response.Headers.SetCookie.ToString();
        Assert.Contains("secure", cookies, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookies, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task outside_development_the_session_cookie_is_host_prefixed_secure_httponly_and_samesite_and_hsts_is_sent()
    {
        await using var host = await EntraHost("Production");

        var cookie = host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).Cookie;
        Assert.Equal("__Host-JusticeTracker", cookie.Name);
        Assert.Equal((CookieSecurePolicy.Always, true, SameSiteMode.Lax, "/"), (cookie.SecurePolicy, cookie.HttpOnly, cookie.SameSite, cookie.Path));

        var result = await host.Scenario(x =>
        {
            x.ConfigureHttpContext(c =>
            {
                c.Request.Scheme = "https";
                c.Request.Host = new HostString("justicetracker.example.org");
            });
            x.Get.Url("/signed-out");
            x.StatusCodeShouldBeOk();
        });
        Assert.Equal("max-age=31536000; includeSubDomains", result.Context.Response.Headers.StrictTransportSecurity.ToString());
    }

    [Fact]
    public async Task our_sign_in_page_hands_over_to_entra_id_and_the_api_answers_401_without_a_token()
    {
        await using var host = await EntraHost("Production");

        var result = await host.Scenario(x =>
        {
            x.Get.Url("/sign-in?returnUrl=/api/cases");
            x.StatusCodeShouldBe(302);
        });
        Assert.StartsWith("https://login.microsoftonline.com/", result.Context.Response.Headers.Location.ToString(), StringComparison.Ordinal);

        await host.Scenario(x =>
        {
            x.Get.Url("/api/cases");
            x.StatusCodeShouldBe(401);
        });
    }

    [Fact]
    public async Task the_api_accepts_entra_bearer_tokens_with_app_roles_and_applies_the_directory()
    {
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.OpenCaseAs(TestUser.UgandanLawyer, Scenarios.NewCase("UG", "org-ug-1"));
        await using var host = await EntraHost("Production", new JwtSecurityStub());

        var asExpert = await host.Scenario(x =>
        {
            x.WithClaim(new Claim("oid", TestUser.LegalExpert.Id));
            x.WithClaim(new Claim("roles", "LegalExpert"));
            x.Get.Url("/api/cases");
            x.StatusCodeShouldBeOk();
        });
        Assert.Equal(2, (await asExpert.ReadAsJsonAsync<CaseList>())!.Total);

        var asLawyer = await host.Scenario(x =>
        {
            x.WithClaim(new Claim("oid", TestUser.KenyanLawyer.Id));
            x.WithClaim(new Claim("roles", "MemberLawyer"));
            x.Get.Url("/api/cases");
            x.StatusCodeShouldBeOk();
        });
        Assert.Equal([kenyan.CaseId], (await asLawyer.ReadAsJsonAsync<CaseList>())!.Items.Select(i => i.Id));

        await host.Scenario(x =>
        {
            x.WithClaim(new Claim("oid", "analyst-1"));
            x.WithClaim(new Claim("roles", "Analyst"));
            x.Get.Url("/api/cases");
            x.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task an_organisation_claim_in_a_token_is_ignored_only_the_directory_decides()
    {
        var kenyan = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await using var host = await EntraHost("Production", new JwtSecurityStub());

        await host.Scenario(x =>
        {
            x.WithClaim(new Claim("oid", TestUser.UgandanLawyer.Id));
            x.WithClaim(new Claim("roles", "MemberLawyer"));
            x.WithClaim(new Claim("jt_org", "org-ke-1"));
            x.Get.Url($"/api/cases/{kenyan.CaseId}");
            x.StatusCodeShouldBe(404);
        });
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using JusticeTracker.Access;
using JusticeTracker.Cases;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// A synthetic signed-in person, sent with a request in a test-only header. Their organisation is
/// not a claim: the fixture registers it in the directory, as an administrator would.
/// </summary>
public sealed record TestUser(string Id, UserRole[] Roles, string? Organisation)
{
    public static readonly TestUser LegalExpert = new("expert-1", [UserRole.LegalExpert], null);
    public static readonly TestUser KenyanLawyer = new("lawyer-ke-1", [UserRole.MemberLawyer], "org-ke-1");
    public static readonly TestUser OtherKenyanLawyer = new("lawyer-ke-2", [UserRole.MemberLawyer], "org-ke-2");
    public static readonly TestUser UgandanLawyer = new("lawyer-ug-1", [UserRole.MemberLawyer], "org-ug-1");
    public static readonly TestUser Analyst = new("analyst-1", [UserRole.Analyst], null);
    public static readonly TestUser Administrator = new("admin-1", [UserRole.Administrator], null);

    public static readonly TestUser[] Everyone = [LegalExpert, KenyanLawyer, OtherKenyanLawyer, UgandanLawyer, Analyst, Administrator];

    public string ToHeader() => JsonSerializer.Serialize(this);
}

/// <summary>
/// Authenticates a request as the <see cref="TestUser"/> in its header, with the claims Entra ID
/// gives. A request without the header is anonymous.
/// </summary>
public sealed class TestUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestUser";
    public const string Header = "X-Test-User";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var user = JsonSerializer.Deserialize<TestUser>(value.ToString())!;
        List<Claim> claims = [new(AppClaims.ObjectId, user.Id), new(ClaimTypes.Name, user.Id), .. user.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString()))];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

public static class ScenarioExtensions
{
    public static Scenario As(this Scenario scenario, TestUser user)
    {
        scenario.WithRequestHeader(TestUserHandler.Header, user.ToHeader());
        return scenario;
    }
}

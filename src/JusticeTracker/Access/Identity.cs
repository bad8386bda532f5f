using System.Globalization;
using JusticeTracker.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Identity.Web;

namespace JusticeTracker.Access;

/// <summary>
/// Who is signing in. Browsers sign in with Entra ID (OpenID Connect) and keep a cookie;
/// integrations send Entra-issued bearer tokens to the JSON API. In Development a page can sign
/// in as a synthetic demo user instead. See docs/identity.md.
/// </summary>
public static class Identity
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);

    /// <summary>Reads the bearer token if there is one, the cookie otherwise.</summary>
    private const string Authenticate = "JusticeTracker";

    /// <summary>Asks pages to sign in with Entra ID (or the demo page), and the API to answer 401.</summary>
    private const string Challenge = "JusticeTracker.Challenge";

    private const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string SignedInAtKey = "jt.signedInAt";

    public static bool UsesEntra(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["AzureAd:ClientId"]);

    public static bool UsesDevSignIn(IConfiguration configuration) => configuration.GetValue<bool>("DevSignIn:Enabled");

    /// <summary>Any sign of a real tenant: a half-filled AzureAd section is still a deployment meant for Entra ID.</summary>
    private static readonly string[] EntraSettings = ["AzureAd:ClientId", "AzureAd:TenantId", "AzureAd:ClientSecret"];

    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        var entra = UsesEntra(builder.Configuration);
        var devSignIn = UsesDevSignIn(builder.Configuration);

        // Checked before the environment's name, which is only a label: a deployment mislabelled
        // "Development" would otherwise serve /dev/sign-in beside Entra ID.
        if (devSignIn && EntraSettings.Where(key => !string.IsNullOrWhiteSpace(builder.Configuration[key])).ToList() is { Count: > 0 } configured)
        {
            throw new InvalidOperationException(
                $"The development sign-in (DevSignIn:Enabled) is on and Entra ID is configured ({string.Join(", ", configured)}). " +
                "The development sign-in lets anyone act as any user, so it never runs beside a real sign-in, whatever the environment is called. " +
                "Turn it off (DevSignIn__Enabled=false) where Entra ID is used, or remove the AzureAd settings to develop locally.");
        }

        if (devSignIn && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"The development sign-in (DevSignIn:Enabled) is on in the {builder.Environment.EnvironmentName} environment. " +
                "It lets anyone act as any user, so it only runs in Development. Turn it off and configure Entra ID.");
        }

        if (!entra && !devSignIn)
        {
            throw new InvalidOperationException(
                "No sign-in is configured. Fill in the AzureAd section (Instance, TenantId, ClientId, ClientSecret): see docs/identity.md.");
        }

        var authentication = builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = Authenticate;
                options.DefaultChallengeScheme = Challenge;
                options.DefaultSignInScheme = Cookie;
                options.DefaultSignOutScheme = Cookie;
            })
            .AddPolicyScheme(Authenticate, "Cookie or bearer token", options => options.ForwardDefaultSelector = context =>
                entra && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : Cookie)
            .AddPolicyScheme(Challenge, "Entra ID for pages, 401 for the API", options => options.ForwardDefaultSelector = context =>
                IsApi(context.Request) ? (entra ? JwtBearerDefaults.AuthenticationScheme : Cookie) : (entra ? OpenIdConnectDefaults.AuthenticationScheme : Cookie));

        var https = !builder.Environment.IsDevelopment();
        if (entra)
        {
            var section = builder.Configuration.GetSection("AzureAd");

            // App roles arrive in the "roles" claim and the user's id in "oid". Inbound claim mapping
            // is off, so the role claim type is "roles" everywhere (STACK.md §6).
            authentication.AddMicrosoftIdentityWebApp(
                options =>
                {
                    section.Bind(options);
                    options.MapInboundClaims = false;
                    options.TokenValidationParameters.RoleClaimType = "roles";
                    options.TokenValidationParameters.NameClaimType = "name";
                    options.Events ??= new OpenIdConnectEvents();
                    options.Events.OnTokenValidated += context =>
                    {
                        context.HttpContext.Action(AuditActions.SignIn);
                        context.HttpContext.Actor(context.Principal?.FindFirst(AppClaims.ObjectId)?.Value ?? "unknown");
                        return Task.CompletedTask;
                    };
                },
                cookie => ConfigureCookie(cookie, https, loginPath: "/sign-in"),
                OpenIdConnectDefaults.AuthenticationScheme,
                Cookie);
            authentication.AddMicrosoftIdentityWebApi(
                jwt =>
                {
                    jwt.MapInboundClaims = false;
                    jwt.TokenValidationParameters.RoleClaimType = "roles";
                    jwt.TokenValidationParameters.NameClaimType = "name";
                },
                options => section.Bind(options),
                JwtBearerDefaults.AuthenticationScheme);
        }
        else
        {
            authentication.AddCookie(Cookie, cookie => ConfigureCookie(cookie, https, loginPath: "/dev/sign-in"));
        }

        return builder;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi");

    private static void ConfigureCookie(CookieAuthenticationOptions options, bool https, string loginPath)
    {
        options.LoginPath = loginPath;
        options.AccessDeniedPath = "/access-denied";

        // The __Host- prefix needs HTTPS; the development server on 127.0.0.1 has none.
        options.Cookie.Name = https ? "__Host-JusticeTracker" : "JusticeTracker.Dev";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";

        // A session ends after 30 idle minutes, and in any case 12 hours after sign-in.
        options.ExpireTimeSpan = IdleTimeout;
        options.SlidingExpiration = true;
        options.Events.OnSigningIn = context =>
        {
            context.Properties.Items[SignedInAtKey] = context.Options.TimeProvider!.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        };
        options.Events.OnValidatePrincipal = async context =>
        {
            var now = context.Options.TimeProvider!.GetUtcNow();
            if (!context.Properties.Items.TryGetValue(SignedInAtKey, out var value)
                || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
                || now - signedInAt > AbsoluteTimeout)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(Cookie);
            }
        };

        // The JSON API and its description answer 401 and 403; only pages redirect.
        options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}

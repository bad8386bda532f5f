using System.Globalization;
using JusticeTracker.Cases;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace JusticeTracker.Access;

/// <summary>Named authorization policies. Every page and endpoint names one of them.</summary>
public static class Policies
{
    /// <summary>Any signed-in person, whatever their role: the home page, signing out.</summary>
    public const string SignedIn = nameof(SignedIn);

    /// <summary>Recording and reading single cases: legal experts and member lawyers.</summary>
    public const string CaseWork = nameof(CaseWork);

    /// <summary>Erasing a case on withdrawal of consent: legal experts only.</summary>
    public const string Erasure = nameof(Erasure);

    /// <summary>Managing organisations and memberships, and reading the audit log: administrators.</summary>
    public const string Administration = nameof(Administration);
}

public static class AccessControl
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteTimeout = TimeSpan.FromHours(12);
    private const string SignedInAtKey = "jt.signedInAt";

    public static WebApplicationBuilder AddAccessControl(this WebApplicationBuilder builder)
    {
        var devSignIn = builder.Configuration.GetValue<bool>("DevSignIn:Enabled");
        if (devSignIn && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"The development sign-in (DevSignIn:Enabled) is on in the {builder.Environment.EnvironmentName} environment. " +
                "It lets anyone act as any user, so it only runs in Development. Turn it off and configure Entra ID.");
        }

        builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/dev/sign-in";
                options.AccessDeniedPath = "/access-denied";
                // The __Host- prefix needs HTTPS; the development server on 127.0.0.1 has none.
                var https = !builder.Environment.IsDevelopment();
                options.Cookie.Name = https ? "__Host-JusticeTracker" : "JusticeTracker.Dev";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
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
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };

                // The JSON API and its description answer 401 and 403; only pages redirect to the sign-in.
                options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
            });

        builder.Services.AddScoped<IClaimsTransformation, MembershipClaims>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.CaseWork, policy => policy.RequireRole(nameof(UserRole.LegalExpert), nameof(UserRole.MemberLawyer)))
            .AddPolicy(Policies.Administration, policy => policy.RequireRole(nameof(UserRole.Administrator)))
            .AddPolicy(Policies.Erasure, policy => policy.RequireRole(nameof(UserRole.LegalExpert)));
        return builder;
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
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

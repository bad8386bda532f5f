using JusticeTracker.Cases;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace JusticeTracker.Access;

/// <summary>Named authorization policies. Every page and endpoint names one of them.</summary>
public static class Policies
{
    /// <summary>Recording and reading single cases: legal experts and member lawyers.</summary>
    public const string CaseWork = nameof(CaseWork);
}

public static class AccessControl
{
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
                // The __Host- prefix needs HTTPS; the development server on 127.0.0.1 has none.
                var https = !builder.Environment.IsDevelopment();
                options.Cookie.Name = https ? "__Host-JusticeTracker" : "JusticeTracker.Dev";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;

                // The JSON API answers 401 and 403; only pages redirect to the sign-in.
                options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
            });

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.CaseWork, policy => policy.RequireRole(nameof(UserRole.LegalExpert), nameof(UserRole.MemberLawyer)));
        return builder;
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
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

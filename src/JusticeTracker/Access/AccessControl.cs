using JusticeTracker.Cases;
using Microsoft.AspNetCore.Authentication;

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

    /// <summary>Reading the notes held for review, and accepting or redacting them: legal experts only.</summary>
    public const string NoteReview = nameof(NoteReview);

    /// <summary>Managing organisations and memberships, and reading the audit log: administrators.</summary>
    public const string Administration = nameof(Administration);

    /// <summary>The network's data quality, counted per organisation: legal experts only.</summary>
    public const string NetworkQuality = nameof(NetworkQuality);

    /// <summary>Aggregated figures after disclosure control, never a case: analysts and the secretariat's legal experts.</summary>
    public const string Statistics = nameof(Statistics);

    /// <summary>
    /// The policy of every API endpoint, by its route, in one place as the pages' are by folder: a
    /// new endpoint takes its route's policy, and a route no rule names stops the app at start-up,
    /// so none is ever left open by omission.
    /// </summary>
    public static string ForRoute(string route) => route switch
    {
        _ when route.StartsWith("/api/cases/{caseId}/erasure", StringComparison.Ordinal) => Erasure,
        _ when route.StartsWith("/api/cases/{caseId}/reviews", StringComparison.Ordinal) || route.StartsWith("/api/reviews", StringComparison.Ordinal) => NoteReview,
        _ when route.StartsWith("/api/cases", StringComparison.Ordinal) || route.StartsWith("/api/follow-ups", StringComparison.Ordinal) => CaseWork,
        _ when route.StartsWith("/api/statistics", StringComparison.Ordinal) => Statistics,

        // The countries' legal pathways are configuration, not case data: what every reader of a figure or a case may need.
        _ when route.StartsWith("/api/pathways", StringComparison.Ordinal) => SignedIn,
        _ => throw new InvalidOperationException($"No authorization policy is set for the route {route}. Name one in Policies.ForRoute."),
    };
}

public static class AccessControl
{
    public static WebApplicationBuilder AddAccessControl(this WebApplicationBuilder builder)
    {
        builder.AddIdentity();
        builder.Services.AddSingleton<Directory.CurrentDirectory>();
        builder.Services.AddScoped<IClaimsTransformation, MembershipClaims>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.CaseWork, policy => policy.RequireRole(nameof(UserRole.LegalExpert), nameof(UserRole.MemberLawyer)))
            .AddPolicy(Policies.Administration, policy => policy.RequireRole(nameof(UserRole.Administrator)))
            .AddPolicy(Policies.Erasure, policy => policy.RequireRole(nameof(UserRole.LegalExpert)))
            .AddPolicy(Policies.NoteReview, policy => policy.RequireRole(nameof(UserRole.LegalExpert)))
            .AddPolicy(Policies.NetworkQuality, policy => policy.RequireRole(nameof(UserRole.LegalExpert)))
            .AddPolicy(Policies.Statistics, policy => policy.RequireRole(nameof(UserRole.Analyst), nameof(UserRole.LegalExpert)));
        return builder;
    }
}

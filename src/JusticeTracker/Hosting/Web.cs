using JusticeTracker.Access;
using JusticeTracker.Audit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Hosting;

public static class Web
{
    /// <summary>The languages of the interface: English (the default), French and Spanish.</summary>
    public static readonly string[] Cultures = ["en", "fr", "es"];

    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        // Pages are authorised by folder, in one place: a new page inherits its folder's policy.
        builder.Services.AddRazorPages(pages => pages.Conventions
            .AuthorizeFolder("/", Policies.SignedIn)
            .AuthorizeFolder("/Admin", Policies.Administration)
            .AuthorizeFolder("/Cases", Policies.CaseWork)
            .AuthorizeFolder("/Statistics", Policies.Statistics)
            .AuthorizeFolder("/FollowUps", Policies.CaseWork)
            .AuthorizeFolder("/Imports", Policies.CaseWork)
            .AuthorizeFolder("/Quality", Policies.CaseWork)
            .AuthorizeFolder("/Figures", Policies.CaseWork)
            .AuthorizeFolder("/Transfers", Policies.CaseWork)
            .AuthorizeFolder("/Reviews", Policies.NoteReview)
            .AuthorizePage("/Cases/Erase", Policies.Erasure)
            .AuthorizePage("/Quality/Network", Policies.NetworkQuality)
            .AllowAnonymousToFolder("/Dev")
            .AllowAnonymousToPage("/Language"));
        builder.Services.AddLocalization(options => options.ResourcesPath = "Resources");
        builder.Services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory, CachedLocalizerFactory>());
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = StrictInput.NameTheField);
        builder.Services.AddOpenApi(StrictInput.DescribeCodes);

        // Requests name an entry's kind anywhere in its object, not only first.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.AllowOutOfOrderMetadataProperties = true);
        builder.AddStrictInput();
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        // In every environment, Development included: an unexpected error is answered with a plain
        // problem (and its correlation id), never a stack trace. Developers read the log instead.
        app.UseExceptionHandler();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseSecurityHeaders();

        // The person's choice (a cookie) first, then their browser's languages, then English.
        app.UseRequestLocalization(options => options
            .SetDefaultCulture(Cultures[0])
            .AddSupportedCultures(Cultures)
            .AddSupportedUICultures(Cultures));
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseNoStore();
        app.UseJsonOnlyApi();
        app.UseHealth();
        app.UseMetricsEndpoint();

        // The audit log wraps authentication, so Entra ID's sign-in callback is recorded too.
        app.UseAuditLog();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapOpenApi().RequireAuthorization(Policies.SignedIn);
        app.MapRazorPages();
        return app;
    }
}

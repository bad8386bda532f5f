namespace JusticeTracker.Hosting;

public static class Web
{
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        // Requests name an entry's kind anywhere in its object, not only first.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.AllowOutOfOrderMetadataProperties = true);
        return builder;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
            app.UseHsts();
        }

        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().RequireAuthorization();
        app.MapRazorPages();
        return app;
    }
}

namespace JusticeTracker.Audit;

public static class AuditRegistration
{
    public static WebApplicationBuilder AddAuditLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        return builder;
    }

    /// <summary>
    /// Records every request that reaches the app (after static files), once it has been answered,
    /// including those refused by authorisation or the rate limiter, and those that failed.
    /// </summary>
    public static WebApplication UseAuditLog(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<AuditLog>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next();
            }
            catch
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                throw;
            }
            finally
            {
                await log.AppendAsync(AuditContext.Describe(context, clock.GetUtcNow()), CancellationToken.None);
            }
        });
        return app;
    }
}

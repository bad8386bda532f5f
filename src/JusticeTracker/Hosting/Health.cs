using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace JusticeTracker.Hosting;

/// <summary>
/// Probes for the platform: <c>/health/live</c> says the process answers; <c>/health/ready</c>
/// checks the database and reports how far the async projections are behind the event store.
/// Neither needs a sign-in, neither is audited, and neither says anything about a case.
/// </summary>
public static class Health
{
    public const string Ready = "ready";

    /// <summary>Behind by more than this many events, the projections are reported as degraded (the node still serves).</summary>
    public const long LagWarning = 1_000;

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<ProjectionLagCheck>("projections", tags: [Ready]);
        return builder;
    }

    /// <summary>Before the audit log and authentication: probes come every few seconds from the platform.</summary>
    public static WebApplication UseHealth(this WebApplication app)
    {
        app.UseHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.UseHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class DatabaseCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException)
            {
                // The reason stays in the server's log; the probe says only that the database is out of reach.
                return HealthCheckResult.Unhealthy("The database does not answer.");
            }
        }
    }

    /// <summary>How many events the slowest async projection or subscription still has to process.</summary>
    private sealed class ProjectionLagCheck(NpgsqlDataSource dataSource, WatchedProjections watched) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var lags = await ProjectionLagMonitor.ReadAsync(dataSource, watched, cancellationToken);
                var lag = lags.Count == 0 ? 0L : lags.Values.Max();
                var data = new Dictionary<string, object> { ["lag"] = lag };
                return lag > LagWarning
                    ? HealthCheckResult.Degraded($"The statistics and follow-ups are {lag} events behind.", data: data)
                    : HealthCheckResult.Healthy(data: data);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // In Production the app never creates its schema; a node is not ready until the migrate command has run.
                return HealthCheckResult.Unhealthy("The database has no JusticeTracker schema yet: run the migrate command.");
            }
        }
    }
}

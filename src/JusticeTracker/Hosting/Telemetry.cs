using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace JusticeTracker.Hosting;

/// <summary>Where telemetry goes (section <c>Observability</c>); every setting is optional.</summary>
public sealed class ObservabilityOptions
{
    /// <summary>Serves <c>/metrics</c> (Prometheus text) on this port only, so the public port never shows it. Unset: no scrape endpoint.</summary>
    public int? MetricsPort { get; set; }

    /// <summary>A Seq server for the logs, besides the console.</summary>
    public string? SeqUrl { get; set; }

    public string? SeqApiKey { get; set; }

    /// <summary>How often the projection lag is read for the metrics.</summary>
    public TimeSpan LagPollingInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// OpenTelemetry traces and metrics for ASP.NET Core, Npgsql, Marten and Wolverine, sent over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and metrics scraped at <c>/metrics</c> on
/// the metrics port. No span or tag carries case content: request spans lose their query string
/// (a search by reference), the app's own instruments are tagged only with a command's name and
/// outcome or a projection's name, and a test records a case and reads every span and tag.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "justicetracker";

    /// <summary>The sources and meters of the app and its parts.</summary>
    public static readonly string[] Sources = [AppMetrics.MeterName, "Npgsql", "Marten", "Wolverine*"];

    public static bool ExportsOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Observability").Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<AppMetrics>();
        builder.Services.AddHostedService<ProjectionLagMonitor>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                builder.Configuration["OTEL_SERVICE_NAME"] ?? ServiceName,
                serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    // Probes and scrapes every few seconds would drown the traces that matter.
                    aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics");
                    aspNetCore.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddSource(Sources))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddMeter(Sources);
                if (options.MetricsPort is not null)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (ExportsOtlp(builder.Configuration))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint, answered before the audit log and sign-in like the health
    /// probes, and only on the metrics port: the port the ingress exposes answers 404 there.
    /// </summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<ObservabilityOptions>().MetricsPort;
        if (port is null)
        {
            return app;
        }

        app.Use(async (context, next) =>
        {
            var onMetricsPort = context.Connection.LocalPort == port;
            var isMetrics = context.Request.Path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
            if (onMetricsPort != isMetrics)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next();
        });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path.Equals("/metrics", StringComparison.OrdinalIgnoreCase));
        return app;
    }
}

public static class CommandCounting
{
    /// <summary>Counts a command's outcome for the metrics; the one line each command's execution ends with.</summary>
    public static void CountCommand(this HttpContext context, string command, string outcome) =>
        context.RequestServices.GetRequiredService<AppMetrics>().Count(command, outcome);
}

/// <summary>The app's own instruments: commands by name and outcome, and how far behind each async projection is.</summary>
public sealed class AppMetrics : IDisposable
{
    public const string MeterName = "JusticeTracker";

    private readonly Meter meter;
    private readonly Counter<long> commands;
    private IReadOnlyDictionary<string, long> lag = new Dictionary<string, long>();

    public AppMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        commands = meter.CreateCounter<long>("justicetracker.commands", unit: "{command}", description: "Commands carried out, by command and outcome.");
        meter.CreateObservableGauge(
            "justicetracker.projection.lag",
            () => lag.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("projection", p.Key))),
            unit: "{event}",
            description: "Events each async projection or subscription still has to process.");
    }

    /// <summary>Counts a command by its name and how it ended (Done, Repeated, Stale, Refused, ...), never its content.</summary>
    public void Count(string command, string outcome) =>
        commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    internal void SetLag(IReadOnlyDictionary<string, long> latest) => lag = latest;

    public void Dispose() => meter.Dispose();
}

/// <summary>The async projections and subscriptions this deployment runs, whose lag is reported.</summary>
public sealed record WatchedProjections(IReadOnlyList<string> Names);

/// <summary>Reads the async projections' progress against the event store's high-water mark, for the lag gauge.</summary>
public sealed partial class ProjectionLagMonitor(NpgsqlDataSource dataSource, WatchedProjections watched, AppMetrics metrics, ObservabilityOptions options, ILogger<ProjectionLagMonitor> logger) : BackgroundService
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "The projection lag could not be read")]
    private static partial void ReadFailed(ILogger logger, Exception exception);


    /// <summary>
    /// Each watched projection's distance from the high-water mark. One that has not started yet
    /// has no row, and is as far behind as there are events.
    /// </summary>
    public static async Task<Dictionary<string, long>> ReadAsync(NpgsqlDataSource dataSource, WatchedProjections watched, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT name, last_seq_id FROM jt.mt_event_progression");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var progress = new Dictionary<string, long>();
        while (await reader.ReadAsync(ct))
        {
            progress[reader.GetString(0)] = reader.GetInt64(1);
        }

        var highWaterMark = progress.GetValueOrDefault("HighWaterMark");
        return watched.Names.ToDictionary(name => name, name => Math.Max(highWaterMark - progress.GetValueOrDefault(name + ":All"), 0));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.LagPollingInterval);
        do
        {
            try
            {
                metrics.SetLag(await ReadAsync(dataSource, watched, stoppingToken));
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // Before the daemon's first run the table may not exist yet; the next tick tries again.
                ReadFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

}

using System.Diagnostics;
using Serilog;
using Serilog.Context;
using Serilog.Formatting.Compact;
using Serilog.Sinks.OpenTelemetry;

namespace JusticeTracker.Hosting;

/// <summary>
/// Structured logs. Case content never reaches a log line: requests are logged by path (ids only,
/// never query strings or bodies), and no handler logs what a user typed.
/// </summary>
public static class Logging
{
    public const string CorrelationHeader = "X-Correlation-Id";

    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        // The static Log.Logger is left alone: each host (tests start several in one process)
        // keeps its own logger, which the request logging below is given explicitly.
        builder.Services.AddSerilog(
            (services, configuration) =>
            {
                configuration
                    .ReadFrom.Configuration(builder.Configuration)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                if (builder.Environment.IsDevelopment())
                {
                    configuration.WriteTo.Console(
                        outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {CorrelationId}{NewLine}{Exception}",
                        formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    configuration.WriteTo.Console(new RenderedCompactJsonFormatter());
                }

                // Optional sinks besides the console, from configuration: a Seq server, and an
                // OpenTelemetry collector (the same one the traces and metrics go to).
                var seq = builder.Configuration["Observability:SeqUrl"];
                if (!string.IsNullOrWhiteSpace(seq))
                {
                    configuration.WriteTo.Seq(seq, apiKey: builder.Configuration["Observability:SeqApiKey"], formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }

                if (Telemetry.ExportsOtlp(builder.Configuration))
                {
                    configuration.WriteTo.OpenTelemetry(otlp =>
                    {
                        otlp.Endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]!;
                        otlp.Protocol = builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf" ? OtlpProtocol.HttpProtobuf : OtlpProtocol.Grpc;
                        otlp.ResourceAttributes["service.name"] = builder.Configuration["OTEL_SERVICE_NAME"] ?? Telemetry.ServiceName;
                        otlp.ResourceAttributes["service.instance.id"] = Environment.MachineName;
                    });
                }
            },
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// One correlation id per request: the W3C trace id, which Marten also stores on the events
    /// the request appends. It is echoed in a response header so a user can quote it.
    /// </summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var correlationId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            context.Response.Headers[CorrelationHeader] = correlationId;

            // Again as the response starts: the exception handler clears the headers before it
            // answers a 500, which is when a user most needs an id to quote.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[CorrelationHeader] = correlationId;
                return Task.CompletedTask;
            });
            using (LogContext.PushProperty("CorrelationId", correlationId))
            {
                await next();
            }
        });
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
        return app;
    }
}

using System.Diagnostics;
using JusticeTracker.Cases;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Hosting;

/// <summary>
/// What the app exports to a tracing and metrics backend, read back from an in-memory exporter:
/// the parts are instrumented, the app's own instruments are there, and no span name, span tag,
/// span event or metric tag carries a case's reference or what a lawyer typed.
/// </summary>
public sealed class TelemetryTests
{
    private const string Canary = "Hearing moved after the canary zebra visit";

    [Fact]
    public async Task traces_and_metrics_cover_the_parts_and_carry_no_case_content()
    {
        var connectionString = await Databases.RecreateAsync("justicetracker_telemetry");
        var recorded = new List<Activity>();
        var measured = new List<Metric>();
        await using var host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(CaseStore.ConnectionVariable, connectionString);
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Demo:Cases", "10");
            builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
            builder.ConfigureServices(services =>
            {
                AppFixture.AddTestSignIn(services);
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(recorded));
                services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(measured));
            });
        });

        var opened = await host.OpenCaseAs(TestUser.LegalExpert, NewCase());
        await host.RecordAs(TestUser.LegalExpert, opened.CaseId, Entry(opened.Version, new RightAssessed(ChildRight.BeingHeard, RightRespect.Respected), note: Canary));
        foreach (var url in new[] { $"/api/cases?reference={opened.Reference}", $"/cases?reference={opened.Reference}", $"/cases/{opened.CaseId}", $"/api/cases/{opened.CaseId}/timeline" })
        {
            await host.Scenario(x =>
            {
                x.As(TestUser.LegalExpert).Get.Url(url);
                x.StatusCodeShouldBeOk();
            });
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        // The exporters keep adding what the background work traces (the daemon's SQL) while the
        // test reads: read copies, which do not enumerate the live lists.
        var spans = recorded.ToArray();
        var metrics = measured.ToArray();

        // The parts are instrumented: requests, and the SQL they ran.
        var sources = spans.Select(s => s.Source.Name).ToHashSet();
        Assert.Contains("Microsoft.AspNetCore", sources);
        Assert.Contains("Npgsql", sources);
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.AspNetCore" && (s.GetTagItem("http.route") as string) == "/api/cases/{caseId}/entries");

        // The app's own counter, by command and outcome.
        var commands = metrics.Where(m => m.Name == "justicetracker.commands").SelectMany(Tags).ToList();
        Assert.Contains(commands, tags => tags.Contains(new("command", "RecordEntry")) && tags.Contains(new("outcome", "Done")));

        var secrets = new[] { Canary, "canary zebra", opened.Reference };
        var leaks = new List<string>();
        foreach (var span in spans)
        {
            var values = span.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}: {t.Key}={t.Value}")))
                .Append(span.DisplayName);
            leaks.AddRange(values.Where(v => secrets.Any(s => v.Contains(s, StringComparison.OrdinalIgnoreCase))).Select(v => $"span {span.Source.Name} {span.DisplayName}: {v}"));
        }

        foreach (var metric in metrics)
        {
            leaks.AddRange(Tags(metric).SelectMany(tags => tags)
                .Select(t => $"{t.Key}={t.Value}")
                .Where(v => secrets.Any(s => v.Contains(s, StringComparison.OrdinalIgnoreCase)))
                .Select(v => $"metric {metric.Name}: {v}"));
        }

        Assert.True(leaks.Count == 0, "Case content in telemetry:\n" + string.Join("\n", leaks.Distinct().Take(20)));
    }

    private static IEnumerable<List<KeyValuePair<string, object?>>> Tags(Metric metric)
    {
        var points = new List<List<KeyValuePair<string, object?>>>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new List<KeyValuePair<string, object?>>();
            foreach (var tag in point.Tags)
            {
                tags.Add(tag);
            }

            points.Add(tags);
        }

        return points;
    }
}

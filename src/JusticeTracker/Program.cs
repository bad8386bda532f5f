using JasperFx;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Demo;
using JusticeTracker.Hosting;
using JusticeTracker.Imports;
using JusticeTracker.Quality;
using JusticeTracker.Statistics;
using Wolverine.Http;

if (Probe.IsProbe(args))
{
    return await Probe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.ApplyCommandExtensions();
builder.AddLogging();
builder.AddTelemetry();

// Before anything that brings in Data Protection, whose own start-up reads the key ring.
builder.AddSharedKeys();
builder.AddCaseStore();
builder.AddAccessControl();
builder.AddAuditLog();
builder.AddStatistics();
builder.AddImports();
builder.AddDataQuality();
builder.AddDemoData();
builder.AddSecurity();
builder.AddHealth();
builder.AddWeb();

var app = builder.Build();
app.UseForwardedHeaders();
app.UseRequestLogging();
app.UseWeb();
app.MapWolverineEndpoints(options =>
{
    options.ConfigureEndpoints(endpoint => endpoint.Metadata.RequireAuthorization(Policies.ForRoute(endpoint.RoutePattern!.RawText!)));

    // "?page=abc" is a mistake to answer with a 400 naming the parameter, not a first page.
    options.RejectUnparseableQueryValues = true;
    options.RejectUnparseableHeaderValues = true;
});

return await app.RunJasperFxCommands(args);

/// <summary>The entry point, visible to the tests' host.</summary>
public partial class Program;
